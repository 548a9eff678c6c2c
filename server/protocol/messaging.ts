/**
 * Secure messaging on the wire: a thread page subscribes, then receives its person's new messages,
 * read marks and retractions live (the page itself is plain HTML with forms and works without it).
 */

export interface AttachmentView {
  readonly id: string;
  /** The sender's file name, with the extension of the type found in the content. */
  readonly name: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

/** One message as a thread member sees it. Retracted messages have no body and no attachments. */
export interface MessageView {
  readonly id: string;
  readonly threadId: string;
  readonly seq: number;
  readonly senderId: string;
  readonly senderName: string;
  readonly body: string | null;
  readonly sentAt: string;
  readonly retracted: boolean;
  readonly attachments: readonly AttachmentView[];
  /** For the viewer's own messages: someone on the other side has read it. */
  readonly readByOther: boolean;
}

export interface ThreadRef {
  readonly threadId: string;
}

/** Requests a messaging page makes: payload and the `data` of a successful ack. */
export interface MessagingRequests {
  /** From now on this socket receives the person's messaging pushes; they count as online. */
  'message:subscribe': { payload: Record<string, never>; result: null };
  /**
   * Moves the read mark to the thread's newest message; answers the new mark and how far the other
   * members have read (a page that subscribed after their read event learns it here).
   */
  'message:mark-read': { payload: ThreadRef; result: { readonly seq: number; readonly othersRead: number } };
}

/** What a subscribed socket receives (the server never says who else is in a thread). */
export interface MessagingPushes {
  'message:new': { readonly message: MessageView };
  /** `readerId` has read `threadId` up to `seq`. */
  'message:read': { readonly threadId: string; readonly readerId: string; readonly seq: number };
  'message:retracted': { readonly threadId: string; readonly messageId: string };
}
