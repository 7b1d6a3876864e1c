#ifndef MA_CBENCHSHIMS_H
#define MA_CBENCHSHIMS_H

// What ma-bench's load client needs from C: <sys/epoll.h>, which Swift's Glibc module does not
// export (`struct epoll_event` is packed on x86-64, so every access to it stays in C, where the
// compiler knows its layout), and OpenSSL's EVP interface for the load's reusable signing and
// digest contexts (MissionCore keeps its OpenSSL module internal).
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <time.h>
#include <openssl/evp.h>

// epoll_pwait2 (Linux 5.11, glibc 2.35) is declared by <sys/epoll.h> only under _GNU_SOURCE; this is
// the same prototype.
extern int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents, const struct timespec *timeout,
                        const sigset_t *sigmask);

static inline int cbench_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline int cbench_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &event);
}

static inline int cbench_epoll_event_size(void) { return (int)sizeof(struct epoll_event); }

/// Waits at most `timeout_ns` nanoseconds (negative: no limit). Open-loop requests are due at
/// microsecond precision, which epoll_wait's millisecond timeout cannot express; without
/// epoll_pwait2 (ENOSYS on kernels before 5.11) the timeout is rounded up to whole milliseconds.
static inline int cbench_epoll_wait(int epfd, void *events, int maxevents, int64_t timeout_ns) {
    struct epoll_event *list = (struct epoll_event *)events;
    if (timeout_ns < 0) return epoll_wait(epfd, list, maxevents, -1);
    struct timespec timeout = {(time_t)(timeout_ns / 1000000000), (long)(timeout_ns % 1000000000)};
    int count = epoll_pwait2(epfd, list, maxevents, &timeout, NULL);
    if (count < 0 && errno == ENOSYS) {
        int64_t millis = (timeout_ns + 999999) / 1000000;
        return epoll_wait(epfd, list, maxevents, millis > 60000 ? 60000 : (int)millis);
    }
    return count;
}

static inline uint32_t cbench_epoll_event_mask(const void *events, int index) {
    return ((const struct epoll_event *)events)[index].events;
}

static inline uint64_t cbench_epoll_event_data(const void *events, int index) {
    return ((const struct epoll_event *)events)[index].data.u64;
}

#endif
