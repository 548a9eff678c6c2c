import { getMicAndCamera, type DeviceChoice } from './devices';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

/** The microphone and camera tracks the waiting room started, handed over to the call on admission. */
export interface LocalTracks {
  readonly mic: MediaStreamTrack | null;
  readonly camera: MediaStreamTrack | null;
}

/**
 * The waiting room's self-view: the camera and microphone start while the person waits (they see
 * how they will appear, and admission does not wait for the devices), and the same tracks go into
 * the call. Nothing leaves the browser from here: sending starts only once admitted.
 */
export class WaitingPreview {
  readonly #figure: HTMLElement;
  readonly #video: HTMLVideoElement;
  readonly #note: HTMLElement;
  #starting: Promise<LocalTracks> | null = null;
  #generation = 0;

  constructor(figure: HTMLElement, video: HTMLVideoElement, note: HTMLElement) {
    this.#figure = figure;
    this.#video = video;
    this.#note = note;
  }

  /** Starts the devices (once per wait); the self-view shows the camera when there is one. */
  start(choice: DeviceChoice, audioOnly: boolean): void {
    if (this.#starting) return;
    const generation = ++this.#generation;
    this.#starting = getMicAndCamera(choice, audioOnly).then((tracks) => {
      if (generation !== this.#generation) {
        // Admitted, or gone, while the devices were starting: nothing is kept.
        stopAll(tracks);
        return { mic: null, camera: null };
      }
      this.#show(tracks, audioOnly);
      return tracks;
    });
  }

  /** The tracks for the call (the self-view lets go of them); null tracks were not available. */
  async take(): Promise<LocalTracks> {
    const starting = this.#starting;
    this.#starting = null;
    const tracks = starting ? await starting : { mic: null, camera: null };
    this.#clear();
    return { mic: live(tracks.mic), camera: live(tracks.camera) };
  }

  /** Leaving the waiting room another way (denied, left, ended): the devices stop. */
  stop(): void {
    const starting = this.#starting;
    this.#starting = null;
    this.#generation += 1;
    this.#clear();
    void starting?.then(stopAll);
  }

  #show(tracks: LocalTracks, audioOnly: boolean): void {
    if (tracks.camera) {
      this.#video.srcObject = new MediaStream([tracks.camera]);
      void this.#video.play().catch(() => {});
    }
    this.#figure.hidden = !tracks.camera;
    this.#note.textContent = audioOnly
      ? tracks.mic
        ? t('preview.micReady')
        : t('preview.micFailed')
      : tracks.camera
        ? t('preview.camera')
        : tracks.mic
          ? t('preview.cameraFailed')
          : t('preview.bothFailed');
  }

  #clear(): void {
    this.#video.srcObject = null;
    this.#figure.hidden = true;
    this.#note.textContent = '';
  }
}

const live = (t: MediaStreamTrack | null): MediaStreamTrack | null => (t?.readyState === 'live' ? t : null);

function stopAll(tracks: LocalTracks): void {
  tracks.mic?.stop();
  tracks.camera?.stop();
}
