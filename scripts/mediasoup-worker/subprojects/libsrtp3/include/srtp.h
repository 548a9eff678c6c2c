/*
 * libsrtp 3 API shim over libsrtp 2.5 (Haven, scripts/build-mediasoup-worker).
 *
 * mediasoup 3.18 is written against versatica's libsrtp 3.0.0-beta fork,
 * which it normally downloads from GitHub. Debian bookworm ships libsrtp 2.5,
 * and clinics run air-gapped, so we build against 2.5 and bridge the gaps:
 *
 *  - srtp_protect / srtp_unprotect / srtp_protect_rtcp / srtp_unprotect_rtcp
 *    take separate in/out buffers, a size_t input length and a size_t*
 *    in/out length (capacity in, bytes written out), and the protect calls
 *    take an mki_index. libsrtp 2.5 works in place with an int* length. The
 *    wrappers copy the input into the output buffer (when they differ),
 *    check capacity, and call the in-place 2.5 function there.
 *  - srtp_stream_remove() is libsrtp 2's srtp_remove_stream().
 *  - srtp_err_status_buffer_small / srtp_err_status_cryptex_err do not exist
 *    in 2.5; they get the values libsrtp 3 gives them (28, 29), which no 2.5
 *    call ever returns except the buffer_small our wrappers return.
 *
 * Each wrapper is defined before the macro that redirects the libsrtp 3 name
 * to it, so inside the wrappers the names still mean the real 2.5 functions.
 */
#ifndef HAVEN_MEDIASOUP_SRTP3_SHIM_H
#define HAVEN_MEDIASOUP_SRTP3_SHIM_H

#include <srtp2/srtp.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define srtp_err_status_buffer_small ((srtp_err_status_t)28)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)29)

/* Bytes libsrtp 2.5 may append: auth tag + MKI (+ 4-byte SRTCP index). */
#define HAVEN_SRTP_RTP_OVERHEAD ((size_t)SRTP_MAX_TRAILER_LEN)
#define HAVEN_SRTP_RTCP_OVERHEAD ((size_t)SRTP_MAX_TRAILER_LEN + 4u)

static inline srtp_err_status_t haven_srtp3_prepare(
  const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t overhead, int *len)
{
	if (in_len > (size_t)INT_MAX - overhead)
		return srtp_err_status_bad_param;
	if (out_cap < in_len + overhead)
		return srtp_err_status_buffer_small;
	if (out != in)
		memmove(out, in, in_len);
	*len = (int)in_len;
	return srtp_err_status_ok;
}

static inline srtp_err_status_t haven_srtp3_protect(
  srtp_t ctx, const uint8_t *rtp, size_t rtp_len, uint8_t *srtp, size_t *srtp_len, size_t mki_index)
{
	int len;
	srtp_err_status_t status =
	  haven_srtp3_prepare(rtp, rtp_len, srtp, *srtp_len, HAVEN_SRTP_RTP_OVERHEAD, &len);

	if (status != srtp_err_status_ok)
		return status;
	/* use_mki = 0: mediasoup never configures MKIs (it passes mki_index 0). */
	status = srtp_protect_mki(ctx, srtp, &len, 0, (unsigned int)mki_index);
	if (status == srtp_err_status_ok)
		*srtp_len = (size_t)len;
	return status;
}

static inline srtp_err_status_t haven_srtp3_unprotect(
  srtp_t ctx, const uint8_t *srtp, size_t srtp_len, uint8_t *rtp, size_t *rtp_len)
{
	int len;
	srtp_err_status_t status = haven_srtp3_prepare(srtp, srtp_len, rtp, *rtp_len, 0, &len);

	if (status != srtp_err_status_ok)
		return status;
	status = srtp_unprotect(ctx, rtp, &len);
	if (status == srtp_err_status_ok)
		*rtp_len = (size_t)len;
	return status;
}

static inline srtp_err_status_t haven_srtp3_protect_rtcp(
  srtp_t ctx, const uint8_t *rtcp, size_t rtcp_len, uint8_t *srtcp, size_t *srtcp_len, size_t mki_index)
{
	int len;
	srtp_err_status_t status =
	  haven_srtp3_prepare(rtcp, rtcp_len, srtcp, *srtcp_len, HAVEN_SRTP_RTCP_OVERHEAD, &len);

	if (status != srtp_err_status_ok)
		return status;
	status = srtp_protect_rtcp_mki(ctx, srtcp, &len, 0, (unsigned int)mki_index);
	if (status == srtp_err_status_ok)
		*srtcp_len = (size_t)len;
	return status;
}

static inline srtp_err_status_t haven_srtp3_unprotect_rtcp(
  srtp_t ctx, const uint8_t *srtcp, size_t srtcp_len, uint8_t *rtcp, size_t *rtcp_len)
{
	int len;
	srtp_err_status_t status = haven_srtp3_prepare(srtcp, srtcp_len, rtcp, *rtcp_len, 0, &len);

	if (status != srtp_err_status_ok)
		return status;
	status = srtp_unprotect_rtcp(ctx, rtcp, &len);
	if (status == srtp_err_status_ok)
		*rtcp_len = (size_t)len;
	return status;
}

static inline srtp_err_status_t haven_srtp3_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

#define srtp_protect haven_srtp3_protect
#define srtp_unprotect haven_srtp3_unprotect
#define srtp_protect_rtcp haven_srtp3_protect_rtcp
#define srtp_unprotect_rtcp haven_srtp3_unprotect_rtcp
#define srtp_stream_remove haven_srtp3_stream_remove

#endif /* HAVEN_MEDIASOUP_SRTP3_SHIM_H */
