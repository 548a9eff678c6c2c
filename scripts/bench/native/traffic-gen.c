/*
 * The media benchmark's native load generator (scripts/bench/native-traffic.ts builds and drives it).
 * It sends and receives exactly what the Node generator (rtp-sender.ts, rtp-sink.ts) does — the same
 * RTP packets with the same trailer, SRTP AEAD_AES_256_GCM (RFC 7714) or plain RTP, sender reports
 * as SRTCP, keyframe requests answered — at a fraction of the CPU, so that on a small machine the
 * generator no longer runs out of cores before the mediasoup worker does. What is cheaper: one
 * OpenSSL context per key (set once; only the IV changes per packet) instead of a new Node cipher
 * object per packet, no garbage collector, each frame sent at its due time, and
 * at the sink one wake-up per millisecond and recvmmsg, with arrival times from the kernel. The
 * sink still authenticates and decrypts every packet.
 *
 *   traffic-gen sender | traffic-gen sink
 *
 * Control: one request per line on stdin, one answer per line on stdout ("ok ..." or "err ...");
 * the line formats live in native-traffic-lines.ts. Times are CLOCK_MONOTONIC microseconds, the
 * clock Node's process.hrtime reads, so windows agree with the parent's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TRAILER_MAGIC 0x48415642u
#define TRAILER_BYTES 24
#define GCM_TAG 16
#define MAX_PACKET 2048
#define MAX_BEHIND_US 500000.0
#define SENDER_REPORT_EVERY_US 1000000.0
#define NTP_UNIX_OFFSET_S 2208988800u

static double mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what) {
  fprintf(stderr, "traffic-gen: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void *grow(void *array, size_t *capacity, size_t needed, size_t item) {
  if (needed <= *capacity) return array;
  size_t next = *capacity ? *capacity * 2 : 64;
  while (next < needed) next *= 2;
  void *moved = realloc(array, next * item);
  if (!moved) die("out of memory");
  *capacity = next;
  return moved;
}

/* xorshift64*: sizes, phases and initial sequence numbers need only be spread, not secret. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}
static int rnd_between(int min, int max) { return min + (int)(rnd() % (uint64_t)(max - min + 1)); }
static double rnd_unit(void) { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }

static void put16(uint8_t *p, uint32_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put_double(uint8_t *p, double v) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  for (int i = 7; i >= 0; i -= 1, bits >>= 8) p[i] = (uint8_t)bits;
}
static double get_double(const uint8_t *p) {
  uint64_t bits = 0;
  for (int i = 0; i < 8; i += 1) bits = bits << 8 | p[i];
  double v;
  memcpy(&v, &bits, 8);
  return v;
}

static int unhex(const char *text, uint8_t *out, int bytes) {
  if ((int)strlen(text) != bytes * 2) return -1;
  for (int i = 0; i < bytes; i += 1) {
    unsigned v;
    if (sscanf(text + 2 * i, "%2x", &v) != 1) return -1;
    out[i] = (uint8_t)v;
  }
  return 0;
}

static int is_rtcp(const uint8_t *p, int len) { return len >= 4 && p[1] >= 200 && p[1] <= 206; }

/* ---- AES-256-GCM with a context per key: only the IV is set per packet ---------------------- */

typedef struct {
  EVP_CIPHER_CTX *ctx;
  uint8_t salt[12];
} Gcm;

static void gcm_init(Gcm *g, const uint8_t key[32], const uint8_t salt[12], int encrypt) {
  g->ctx = EVP_CIPHER_CTX_new();
  if (!g->ctx || !EVP_CipherInit_ex(g->ctx, EVP_aes_256_gcm(), NULL, key, NULL, encrypt)) die("EVP init");
  memcpy(g->salt, salt, 12);
}

/* RFC 7714 §8.1 (RTP: 00 00 | SSRC | ROC | SEQ) and §9.1 (RTCP: 00 00 | SSRC | 00 00 | index). */
static void gcm_iv(const Gcm *g, uint32_t ssrc, uint32_t hi, uint32_t lo, int rtcp, uint8_t iv[12]) {
  memset(iv, 0, 12);
  put32(iv + 2, ssrc);
  if (rtcp) put32(iv + 8, lo);
  else {
    put32(iv + 6, hi);
    put16(iv + 10, lo);
  }
  for (int i = 0; i < 12; i += 1) iv[i] ^= g->salt[i];
}

/* Encrypts in place `data[aad_len..len)` with `aad` authenticated; writes the 16-byte tag at `tag`. */
static void gcm_seal(Gcm *g, const uint8_t iv[12], const uint8_t *aad, int aad_len, uint8_t *data, int len,
                     uint8_t *tag) {
  int out = 0;
  if (!EVP_EncryptInit_ex(g->ctx, NULL, NULL, NULL, iv) || !EVP_EncryptUpdate(g->ctx, NULL, &out, aad, aad_len) ||
      !EVP_EncryptUpdate(g->ctx, data, &out, data, len) || !EVP_EncryptFinal_ex(g->ctx, data + out, &out) ||
      !EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG, tag))
    die("GCM seal");
}

static int gcm_open(Gcm *g, const uint8_t iv[12], const uint8_t *aad, int aad_len, uint8_t *data, int len,
                    const uint8_t *tag) {
  int out = 0;
  if (!EVP_DecryptInit_ex(g->ctx, NULL, NULL, NULL, iv) || !EVP_DecryptUpdate(g->ctx, NULL, &out, aad, aad_len) ||
      !EVP_DecryptUpdate(g->ctx, data, &out, data, len) ||
      !EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG, (void *)tag))
    return 0;
  return EVP_DecryptFinal_ex(g->ctx, data + out, &out) > 0;
}

/* ---- control channel ------------------------------------------------------------------------ */

static char line_buffer[1 << 20];
static size_t line_used = 0;

static void answer(const char *text) {
  size_t len = strlen(text), done = 0;
  while (done < len) {
    ssize_t n = write(1, text + done, len - done);
    if (n < 0 && errno != EINTR) die("stdout");
    if (n > 0) done += (size_t)n;
  }
}

/* Reads what stdin has; calls `handle` for each complete line. Returns 0 at end of input. */
static int read_control(void (*handle)(char *line)) {
  ssize_t n = read(0, line_buffer + line_used, sizeof line_buffer - 1 - line_used);
  if (n == 0) return 0;
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  line_used += (size_t)n;
  char *start = line_buffer, *newline;
  while ((newline = memchr(start, '\n', line_used - (size_t)(start - line_buffer)))) {
    *newline = 0;
    handle(start);
    start = newline + 1;
  }
  line_used -= (size_t)(start - line_buffer);
  memmove(line_buffer, start, line_used);
  if (line_used == sizeof line_buffer - 1) {
    fprintf(stderr, "traffic-gen: control line too long\n");
    exit(1);
  }
  return 1;
}

static double window_from = 0, window_to = 0;
static int in_window(double at) { return window_to > 0 && at >= window_from && at < window_to; }

/* ---- sender ----------------------------------------------------------------------------------- */

typedef struct {
  int fd;
  int srtp;
  Gcm rtp, rtcp;
} Participant;

typedef struct {
  int participant;
  uint32_t stream_id, ssrc, payload_type;
  int video, lower;
  double frame_interval_us;
  int packets_per_frame, packets_per_keyframe, keyframe_every, min_bytes, max_bytes;
  uint32_t ts_step;
  double next_due_us, next_report_us;
  uint32_t frame_index, rtp_timestamp, bench_seq, rtcp_index;
  uint64_t extended_seq; /* ROC << 16 | SEQ */
  int keyframe_asked;
  uint32_t packets_sent, octets_sent;
} Stream;

static Participant *participants;
static size_t participant_count, participant_capacity;
static Stream *streams;
static size_t stream_count, stream_capacity;
static int epoll_fd;

static struct {
  uint64_t audio, video, lower_video, skipped, keyframe_asks;
  double slip_total_us, slip_max_us;
} sent;

static void send_packet(int fd, const uint8_t *packet, int len) {
  while (send(fd, packet, (size_t)len, 0) < 0) {
    if (errno == ECONNREFUSED) return; /* the session closed before this socket (see rtp-sender.ts) */
    if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS) die("send");
  }
}

static void send_frame(Stream *s, double due_us) {
  Participant *p = &participants[s->participant];
  int keyframe = 0, packets = s->packets_per_frame;
  if (s->video) {
    keyframe = s->keyframe_asked || s->frame_index % (uint32_t)s->keyframe_every == 0;
    if (keyframe) {
      packets = s->packets_per_keyframe;
      s->keyframe_asked = 0;
    }
  }
  uint8_t packet[MAX_PACKET];
  for (int i = 0; i < packets; i += 1) {
    int last = i == packets - 1;
    int payload = rnd_between(s->min_bytes, s->max_bytes);
    int len = 12 + payload;
    memset(packet, 0, (size_t)len);
    packet[0] = 0x80;
    packet[1] = (uint8_t)((s->video ? last : s->frame_index == 0) ? 0x80 : 0) | (s->payload_type & 0x7f);
    uint16_t seq = (uint16_t)s->extended_seq;
    put16(packet + 2, seq);
    put32(packet + 4, s->rtp_timestamp);
    put32(packet + 8, s->ssrc);
    if (s->video) {
      uint32_t picture = s->frame_index & 0x7fff;
      packet[12] = 0x80 | (i == 0 ? 0x10 : 0);
      packet[13] = 0x80;
      packet[14] = 0x80 | (uint8_t)(picture >> 8);
      packet[15] = (uint8_t)picture;
      packet[16] = keyframe && i == 0 ? 0x00 : 0x01;
    } else {
      packet[12] = 15 << 3; /* Opus TOC: config 15, mono, one frame */
    }
    double sent_at = mono_us();
    uint8_t *trailer = packet + len - TRAILER_BYTES;
    put32(trailer, TRAILER_MAGIC);
    put32(trailer + 4, s->stream_id);
    put32(trailer + 8, s->bench_seq);
    trailer[12] = s->video ? (s->lower ? 2 : 1) : 0;
    put_double(trailer + 16, sent_at);
    int wire = len;
    if (p->srtp) {
      uint8_t iv[12];
      gcm_iv(&p->rtp, s->ssrc, (uint32_t)(s->extended_seq >> 16), seq, 0, iv);
      gcm_seal(&p->rtp, iv, packet, 12, packet + 12, payload, packet + len);
      wire += GCM_TAG;
    }
    send_packet(p->fd, packet, wire);
    s->packets_sent += 1;
    s->octets_sent += (uint32_t)payload;
    if (in_window(sent_at)) {
      if (s->lower) sent.lower_video += 1;
      else {
        if (s->video) sent.video += 1;
        else sent.audio += 1;
        double slip = sent_at > due_us ? sent_at - due_us : 0;
        sent.slip_total_us += slip;
        if (slip > sent.slip_max_us) sent.slip_max_us = slip;
      }
    }
    s->extended_seq += 1;
    s->bench_seq += 1;
  }
}

/* RTCP sender report (RFC 3550 §6.4.1), no report blocks; SRTCP as RFC 7714 §9 when keyed. */
static void send_sender_report(Stream *s) {
  Participant *p = &participants[s->participant];
  uint8_t report[28 + GCM_TAG + 4];
  memset(report, 0, sizeof report);
  report[0] = 0x80;
  report[1] = 200;
  put16(report + 2, 6);
  put32(report + 4, s->ssrc);
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  uint64_t now_ms = (uint64_t)wall.tv_sec * 1000 + (uint64_t)wall.tv_nsec / 1000000;
  put32(report + 8, (uint32_t)(now_ms / 1000 + NTP_UNIX_OFFSET_S));
  put32(report + 12, (uint32_t)((double)(now_ms % 1000) / 1000.0 * 4294967296.0));
  put32(report + 16, s->rtp_timestamp);
  put32(report + 20, s->packets_sent);
  put32(report + 24, s->octets_sent);
  int len = 28;
  if (p->srtp) {
    uint32_t index = s->rtcp_index++ & 0x7fffffff;
    uint8_t aad[12], iv[12];
    memcpy(aad, report, 8);
    put32(aad + 8, 0x80000000u | index);
    gcm_iv(&p->rtcp, s->ssrc, 0, index, 1, iv);
    gcm_seal(&p->rtcp, iv, aad, 12, report + 8, 20, report + 28);
    put32(report + 28 + GCM_TAG, 0x80000000u | index);
    len = 28 + GCM_TAG + 4;
  }
  send_packet(p->fd, report, len);
}

/* mediasoup asks for keyframes on the send tuple (PLI or FIR). Under SRTCP only the first 8 bytes
 * are clear, so a request marks every video stream of the participant, as rtp-sender.ts does. */
static void read_rtcp(int index) {
  Participant *p = &participants[index];
  uint8_t packet[MAX_PACKET];
  ssize_t len;
  while ((len = recv(p->fd, packet, sizeof packet, MSG_DONTWAIT)) >= 0) {
    if (!is_rtcp(packet, (int)len)) continue;
    for (int offset = 0; offset + 4 <= len;) {
      int fmt = packet[offset] & 0x1f, type = packet[offset + 1];
      int length = ((int)get16(packet + offset + 2) + 1) * 4;
      if (type == 206 && (fmt == 1 || fmt == 4)) {
        uint32_t media = length >= 12 && offset + 12 <= len ? get32(packet + offset + 8) : 0;
        for (size_t i = 0; i < stream_count; i += 1) {
          Stream *s = &streams[i];
          if (s->participant != index || !s->video) continue;
          /* PLI names the stream at byte 8; FIR in its FCI entries (all asked, as for SRTCP). */
          if (p->srtp || fmt == 4 || s->ssrc == media) s->keyframe_asked = 1;
        }
        sent.keyframe_asks += 1;
      }
      if (p->srtp || offset + length > len) break;
      offset += length;
    }
  }
}

static void add_participant(char *line) {
  /* add <port> <srtp 0|1> [<rtp key> <rtp salt> <rtcp key> <rtcp salt>] <n> then n streams of
   * <id> <a|v> <ssrc> <pt> <lower> <frame µs> <pkts/frame> <pkts/keyframe> <keyframe every> <min> <max> <ts step> */
  char *save = NULL;
  strtok_r(line, " ", &save);
  int port = atoi(strtok_r(NULL, " ", &save));
  participants = grow(participants, &participant_capacity, participant_count + 1, sizeof *participants);
  Participant *p = &participants[participant_count];
  memset(p, 0, sizeof *p);
  p->srtp = atoi(strtok_r(NULL, " ", &save));
  if (p->srtp) {
    uint8_t rtp_key[32], rtp_salt[12], rtcp_key[32], rtcp_salt[12];
    if (unhex(strtok_r(NULL, " ", &save), rtp_key, 32) || unhex(strtok_r(NULL, " ", &save), rtp_salt, 12) ||
        unhex(strtok_r(NULL, " ", &save), rtcp_key, 32) || unhex(strtok_r(NULL, " ", &save), rtcp_salt, 12)) {
      answer("err bad keys\n");
      return;
    }
    gcm_init(&p->rtp, rtp_key, rtp_salt, 1);
    gcm_init(&p->rtcp, rtcp_key, rtcp_salt, 1);
  }
  p->fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int buffer = 1 << 20;
  setsockopt(p->fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  if (p->fd < 0 || bind(p->fd, (struct sockaddr *)&address, sizeof address)) die("bind");
  address.sin_port = htons((uint16_t)port);
  if (connect(p->fd, (struct sockaddr *)&address, sizeof address)) die("connect");
  struct epoll_event event = {.events = EPOLLIN, .data.u64 = participant_count + 1};
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, p->fd, &event)) die("epoll_ctl");
  int count = atoi(strtok_r(NULL, " ", &save));
  double start = mono_us();
  for (int i = 0; i < count; i += 1) {
    streams = grow(streams, &stream_capacity, stream_count + 1, sizeof *streams);
    Stream *s = &streams[stream_count++];
    memset(s, 0, sizeof *s);
    s->participant = (int)participant_count;
    s->stream_id = (uint32_t)strtoul(strtok_r(NULL, " ", &save), NULL, 10);
    s->video = strtok_r(NULL, " ", &save)[0] == 'v';
    s->ssrc = (uint32_t)strtoul(strtok_r(NULL, " ", &save), NULL, 10);
    s->payload_type = (uint32_t)strtoul(strtok_r(NULL, " ", &save), NULL, 10);
    s->lower = atoi(strtok_r(NULL, " ", &save));
    s->frame_interval_us = atof(strtok_r(NULL, " ", &save));
    s->packets_per_frame = atoi(strtok_r(NULL, " ", &save));
    s->packets_per_keyframe = atoi(strtok_r(NULL, " ", &save));
    s->keyframe_every = atoi(strtok_r(NULL, " ", &save));
    s->min_bytes = atoi(strtok_r(NULL, " ", &save));
    s->max_bytes = atoi(strtok_r(NULL, " ", &save));
    s->ts_step = (uint32_t)strtoul(strtok_r(NULL, " ", &save), NULL, 10);
    if (s->max_bytes + 12 + GCM_TAG > MAX_PACKET || s->min_bytes < TRAILER_BYTES + 5 || s->keyframe_every < 0) {
      answer("err bad stream\n");
      return;
    }
    if (s->video && s->keyframe_every == 0) s->keyframe_every = 1 << 30;
    /* A random phase, so thousands of streams do not burst on the same millisecond. */
    s->next_due_us = start + rnd_unit() * s->frame_interval_us;
    s->next_report_us = start + rnd_unit() * SENDER_REPORT_EVERY_US;
    s->extended_seq = rnd() & 0xffff;
    s->rtp_timestamp = (uint32_t)rnd();
  }
  participant_count += 1;
  answer("ok\n");
}

static void sender_control(char *line) {
  char reply[512];
  if (strncmp(line, "add ", 4) == 0) return add_participant(line);
  if (sscanf(line, "window %lf %lf", &window_from, &window_to) == 2) {
    memset(&sent, 0, sizeof sent);
    return answer("ok\n");
  }
  if (strcmp(line, "report") == 0) {
    snprintf(reply, sizeof reply, "ok %llu %llu %.3f %.3f %llu %llu %llu\n", (unsigned long long)sent.audio,
             (unsigned long long)sent.video, sent.slip_total_us, sent.slip_max_us, (unsigned long long)sent.skipped,
             (unsigned long long)sent.keyframe_asks, (unsigned long long)sent.lower_video);
    return answer(reply);
  }
  answer("err unknown request\n");
}

static void run_sender(void) {
  for (;;) {
    double now = mono_us();
    for (size_t i = 0; i < stream_count; i += 1) {
      Stream *s = &streams[i];
      if (s->next_report_us <= now) {
        send_sender_report(s);
        s->next_report_us = now + SENDER_REPORT_EVERY_US;
      }
      while (s->next_due_us <= now) {
        /* Counted from the window's start to the report, as rtp-sender.ts does. */
        if (now - s->next_due_us > MAX_BEHIND_US) sent.skipped += 1;
        else send_frame(s, s->next_due_us);
        s->frame_index += 1;
        s->rtp_timestamp += s->ts_step;
        s->next_due_us += s->frame_interval_us;
      }
    }
    /* Sleep until the next frame is due, to the microsecond: each frame leaves on its own time, as
     * from many separate browsers, not in one burst a millisecond (a burst lets the worker read
     * more packets per wake-up, which would flatter its cost per packet). */
    double next = now + 1000;
    for (size_t i = 0; i < stream_count; i += 1)
      if (streams[i].next_due_us < next) next = streams[i].next_due_us;
    double wait_us = next - mono_us();
    if (wait_us < 0) wait_us = 0;
    struct timespec timeout = {.tv_sec = 0, .tv_nsec = (long)(wait_us * 1000)};
    struct epoll_event events[64];
    int ready = epoll_pwait2(epoll_fd, events, 64, &timeout, NULL);
    for (int e = 0; e < ready; e += 1) {
      if (events[e].data.u64 == 0) {
        if (!read_control(sender_control)) exit(0);
      } else read_rtcp((int)events[e].data.u64 - 1);
    }
  }
}

/* ---- sink ------------------------------------------------------------------------------------- */

typedef struct {
  uint32_t ssrc;
  uint32_t roc;
  int highest_seq; /* -1 before the first packet */
} RocState;

typedef struct {
  int fd, port, srtp;
  Gcm gcm;
  RocState rocs[8];
  int roc_count;
} Sink;

static Sink *sinks;
static size_t sink_count, sink_capacity;

static struct {
  uint64_t audio, video, foreign, duplicates, srtp_failures, lower;
} received;
static float *latencies;
static size_t latency_count, latency_capacity;

/* Packets counted in the window, by (stream id, bench seq): open addressing, 0 = empty. */
static uint64_t *seen;
static size_t seen_capacity, seen_count;

static uint64_t mix(uint64_t key) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdull;
  key ^= key >> 33;
  return key;
}

static int seen_before(uint64_t key) {
  if ((seen_count + 1) * 2 > seen_capacity) {
    size_t old_capacity = seen_capacity;
    uint64_t *old = seen;
    seen_capacity = old_capacity ? old_capacity * 2 : 1 << 16;
    seen = calloc(seen_capacity, sizeof *seen);
    if (!seen) die("out of memory");
    seen_count = 0;
    for (size_t i = 0; i < old_capacity; i += 1)
      if (old[i]) seen_before(old[i]);
    free(old);
  }
  for (size_t i = mix(key) & (seen_capacity - 1);; i = (i + 1) & (seen_capacity - 1)) {
    if (seen[i] == key) return 1;
    if (seen[i] == 0) {
      seen[i] = key;
      seen_count += 1;
      return 0;
    }
  }
}

static size_t payload_offset(const uint8_t *packet, size_t len) {
  size_t offset = 12 + (size_t)(packet[0] & 0x0f) * 4;
  if ((packet[0] & 0x10) && offset + 4 <= len) offset += 4 + (size_t)get16(packet + offset + 2) * 4;
  return offset;
}

/* RFC 3711 §3.3.1: the rollover counter guessed from the highest sequence number seen. */
static int sink_unprotect(Sink *sink, uint8_t *packet, size_t *len) {
  if (*len < 12 + GCM_TAG) return 0;
  uint32_t ssrc = get32(packet + 8);
  int seq = (int)get16(packet + 2);
  RocState *state = NULL;
  for (int i = 0; i < sink->roc_count; i += 1)
    if (sink->rocs[i].ssrc == ssrc) state = &sink->rocs[i];
  int64_t roc = state ? state->roc : 0;
  if (state && state->highest_seq >= 0) {
    if (state->highest_seq < 0x8000 && seq - state->highest_seq > 0x8000) roc -= 1;
    else if (state->highest_seq >= 0x8000 && state->highest_seq - seq > 0x8000) roc += 1;
  }
  size_t body = *len - GCM_TAG, offset = payload_offset(packet, body);
  if (offset > body) return 0;
  uint8_t iv[12];
  gcm_iv(&sink->gcm, ssrc, (uint32_t)roc, (uint32_t)seq, 0, iv);
  if (!gcm_open(&sink->gcm, iv, packet, (int)offset, packet + offset, (int)(body - offset), packet + body)) return 0;
  int64_t index = roc * 0x10000 + seq, known = state ? (int64_t)state->roc * 0x10000 + state->highest_seq : -1;
  if (!state && sink->roc_count < 8) {
    state = &sink->rocs[sink->roc_count++];
    state->ssrc = ssrc;
  }
  if (state && index > known) {
    state->roc = (uint32_t)roc;
    state->highest_seq = seq;
  }
  *len = body;
  return 1;
}

static void sink_packet(Sink *sink, uint8_t *packet, size_t len, double received_at) {
  if (sink->srtp && !is_rtcp(packet, (int)len) && !sink_unprotect(sink, packet, &len)) {
    received.srtp_failures += 1;
    return;
  }
  const uint8_t *trailer = packet + len - TRAILER_BYTES;
  if (len < 12 + TRAILER_BYTES || is_rtcp(packet, (int)len) || get32(trailer) != TRAILER_MAGIC) {
    received.foreign += 1; /* the consumers' RTCP sender reports */
    return;
  }
  if (trailer[12] == 2) {
    received.lower += 1;
    return;
  }
  double sent_at = get_double(trailer + 16);
  if (!in_window(sent_at)) return;
  uint64_t key = ((uint64_t)get32(trailer + 4) << 32 | get32(trailer + 8)) + 1;
  if (seen_before(key)) {
    received.duplicates += 1;
    return;
  }
  if (trailer[12] == 1) received.video += 1;
  else received.audio += 1;
  latencies = grow(latencies, &latency_capacity, latency_count + 1, sizeof *latencies);
  latencies[latency_count++] = (float)((received_at - sent_at) / 1000);
}

#define BATCH 64
static uint8_t batch_data[BATCH][MAX_PACKET];

static uint8_t batch_control[BATCH][CMSG_SPACE(sizeof(struct timespec))];

/* CLOCK_REALTIME minus CLOCK_MONOTONIC, µs: the kernel stamps arrivals on the real-time clock. */
static double realtime_offset_us(void) {
  struct timespec real;
  clock_gettime(CLOCK_REALTIME, &real);
  return real.tv_sec * 1e6 + real.tv_nsec / 1e3 - mono_us();
}

/* When the packet reached the socket (SO_TIMESTAMPNS), on the monotonic clock; `fallback` if unstamped. */
static double arrival_us(struct msghdr *header, double offset_us, double fallback) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(header); c; c = CMSG_NXTHDR(header, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    struct timespec at;
    memcpy(&at, CMSG_DATA(c), sizeof at);
    return at.tv_sec * 1e6 + at.tv_nsec / 1e3 - offset_us;
  }
  return fallback;
}

static void read_sink(Sink *sink) {
  struct mmsghdr messages[BATCH];
  struct iovec vectors[BATCH];
  for (;;) {
    for (int i = 0; i < BATCH; i += 1) {
      vectors[i] = (struct iovec){.iov_base = batch_data[i], .iov_len = MAX_PACKET};
      messages[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &vectors[i],
                                                 .msg_iovlen = 1,
                                                 .msg_control = batch_control[i],
                                                 .msg_controllen = sizeof batch_control[i]}};
    }
    int count = recvmmsg(sink->fd, messages, BATCH, MSG_DONTWAIT, NULL);
    if (count <= 0) return;
    double now = mono_us(), offset = realtime_offset_us();
    for (int i = 0; i < count; i += 1)
      sink_packet(sink, batch_data[i], messages[i].msg_len, arrival_us(&messages[i].msg_hdr, offset, now));
    if (count < BATCH) return;
  }
}

static int compare_floats(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* Nearest rank, as window-stats.ts's percentile. */
static double percentile(double p) {
  if (latency_count == 0) return NAN;
  size_t rank = (size_t)ceil(p / 100 * (double)latency_count);
  if (rank < 1) rank = 1;
  return latencies[(rank > latency_count ? latency_count : rank) - 1];
}

static void sink_control(char *line) {
  char reply[1 << 16];
  int count;
  if (sscanf(line, "open %d", &count) == 1) {
    size_t used = (size_t)snprintf(reply, sizeof reply, "ok");
    for (int i = 0; i < count; i += 1) {
      sinks = grow(sinks, &sink_capacity, sink_count + 1, sizeof *sinks);
      Sink *sink = &sinks[sink_count];
      memset(sink, 0, sizeof *sink);
      sink->fd = socket(AF_INET, SOCK_DGRAM, 0);
      struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
      socklen_t size = sizeof address;
      /* Room for ~1,500 video packets: a short stall of this process must not read as mediasoup loss. */
      int buffer = 4 << 20;
      setsockopt(sink->fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
      /* Arrival times from the kernel, so reading once a millisecond does not add to the latency. */
      int stamp = 1;
      setsockopt(sink->fd, SOL_SOCKET, SO_TIMESTAMPNS, &stamp, sizeof stamp);
      if (sink->fd < 0 || bind(sink->fd, (struct sockaddr *)&address, sizeof address) ||
          getsockname(sink->fd, (struct sockaddr *)&address, &size))
        die("sink socket");
      sink->port = ntohs(address.sin_port);
      struct epoll_event event = {.events = EPOLLIN, .data.u64 = sink_count + 1};
      if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, sink->fd, &event)) die("epoll_ctl");
      sink_count += 1;
      if (used < sizeof reply - 16) used += (size_t)snprintf(reply + used, sizeof reply - used, " %d", sink->port);
    }
    snprintf(reply + used, sizeof reply - used, "\n");
    return answer(reply);
  }
  if (strncmp(line, "keys ", 5) == 0) {
    int port;
    char key_hex[80], salt_hex[40];
    uint8_t key[32], salt[12];
    if (sscanf(line, "keys %d %79s %39s", &port, key_hex, salt_hex) != 3 || unhex(key_hex, key, 32) ||
        unhex(salt_hex, salt, 12))
      return answer("err bad keys\n");
    for (size_t i = 0; i < sink_count; i += 1) {
      if (sinks[i].port != port) continue;
      gcm_init(&sinks[i].gcm, key, salt, 0);
      sinks[i].srtp = 1;
      return answer("ok\n");
    }
    return answer("err no sink on that port\n");
  }
  if (sscanf(line, "window %lf %lf", &window_from, &window_to) == 2) {
    memset(&received, 0, sizeof received);
    latency_count = 0;
    if (seen) memset(seen, 0, seen_capacity * sizeof *seen);
    seen_count = 0;
    return answer("ok\n");
  }
  if (strcmp(line, "report") == 0) {
    qsort(latencies, latency_count, sizeof *latencies, compare_floats);
    snprintf(reply, sizeof reply, "ok %llu %llu %.4f %.4f %.4f %llu %llu %llu %llu\n",
             (unsigned long long)received.audio, (unsigned long long)received.video, percentile(50), percentile(99),
             latency_count ? latencies[latency_count - 1] : NAN, (unsigned long long)received.foreign,
             (unsigned long long)received.duplicates, (unsigned long long)received.srtp_failures,
             (unsigned long long)received.lower);
    return answer(reply);
  }
  answer("err unknown request\n");
}

/* Reads whatever arrived, then sleeps a millisecond: one wake-up per millisecond for all sockets
 * instead of one per packet (the sockets' 4 MB buffers hold far more than a millisecond). */
static void run_sink(void) {
  const struct timespec tick = {.tv_sec = 0, .tv_nsec = 1000000};
  for (;;) {
    struct epoll_event events[256];
    int ready = epoll_wait(epoll_fd, events, 256, -1);
    for (int e = 0; e < ready; e += 1) {
      if (events[e].data.u64 == 0) {
        if (!read_control(sink_control)) exit(0);
      } else read_sink(&sinks[events[e].data.u64 - 1]);
    }
    nanosleep(&tick, NULL);
  }
}

int main(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[1], "sender") && strcmp(argv[1], "sink"))) {
    fprintf(stderr, "usage: traffic-gen sender|sink (driven by scripts/bench/native-traffic.ts)\n");
    return 2;
  }
  rng_state ^= (uint64_t)mono_us() * 0x100000001b3ull ^ (uint64_t)getpid();
  epoll_fd = epoll_create1(0);
  struct epoll_event control = {.events = EPOLLIN, .data.u64 = 0};
  if (epoll_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, 0, &control)) die("epoll");
  answer("ready\n");
  if (strcmp(argv[1], "sender") == 0) run_sender();
  else run_sink();
  return 0;
}
