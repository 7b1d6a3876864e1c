#ifndef MA_CSYSTEMSHIMS_H
#define MA_CSYSTEMSHIMS_H

// Linux interfaces that Swift's Glibc module does not export (<sys/epoll.h>, <sys/eventfd.h>,
// accept4). `struct epoll_event` is packed on x86-64, so every access to it stays in C, where the
// compiler knows its layout.
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// accept4 is declared by <sys/socket.h> only under _GNU_SOURCE; this is the same prototype.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

static inline int cshim_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline int cshim_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &event);
}

static inline int cshim_epoll_event_size(void) { return (int)sizeof(struct epoll_event); }

static inline int cshim_epoll_wait(int epfd, void *events, int maxevents, int timeout) {
    return epoll_wait(epfd, (struct epoll_event *)events, maxevents, timeout);
}

static inline uint32_t cshim_epoll_event_mask(const void *events, int index) {
    return ((const struct epoll_event *)events)[index].events;
}

static inline uint64_t cshim_epoll_event_data(const void *events, int index) {
    return ((const struct epoll_event *)events)[index].data.u64;
}

static inline int cshim_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

static inline int cshim_accept(int fd, struct sockaddr *addr, socklen_t *addrlen) {
    return accept4(fd, addr, addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

#endif
