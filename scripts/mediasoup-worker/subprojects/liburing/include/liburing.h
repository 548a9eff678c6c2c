/*
 * liburing compatibility shim (Haven, scripts/build-mediasoup-worker).
 *
 * mediasoup 3.18 is written against liburing 2.5, which it normally
 * downloads from GitHub. Debian bookworm ships liburing 2.3, which lacks:
 *   - io_uring_major_version() / io_uring_minor_version() (added in 2.4);
 *   - io_uring_prep_sendto() (a send with a destination address, which is
 *     exactly io_uring_prep_send() + io_uring_prep_send_set_addr()).
 * This header includes the real <liburing.h> (the next one on the include
 * path) and defines whichever of those the meson stand-in found missing.
 */
#ifndef HAVEN_MEDIASOUP_LIBURING_SHIM_H
#define HAVEN_MEDIASOUP_LIBURING_SHIM_H

#include_next <liburing.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef HAVEN_LIBURING_HAS_VERSION_FNS
static inline int io_uring_major_version(void)
{
	return HAVEN_LIBURING_MAJOR;
}

static inline int io_uring_minor_version(void)
{
	return HAVEN_LIBURING_MINOR;
}
#endif

#ifndef HAVEN_LIBURING_HAS_PREP_SENDTO
static inline void io_uring_prep_sendto(
  struct io_uring_sqe *sqe,
  int sockfd,
  const void *buf,
  size_t len,
  int flags,
  const struct sockaddr *addr,
  socklen_t addrlen)
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, (__u16)addrlen);
}
#endif

#ifdef __cplusplus
}
#endif

#endif /* HAVEN_MEDIASOUP_LIBURING_SHIM_H */
