/*
 * LD_PRELOAD shim for perfdhcp in t-overload.sh: gives every IPv4 UDP
 * socket it opens a large receive buffer (PERFDHCP_RCVBUF bytes, default
 * 16 MiB; SO_RCVBUFFORCE as root, else SO_RCVBUF up to net.core.rmem_max).
 *
 * Why: perfdhcp -4 receives every reply on one relay socket with the
 * default buffer (net.core.rmem_default, 208 KiB, read-only inside a
 * network namespace). The server writes the replies of one receive burst
 * (up to 256 requests) at once, and a CPU-confined server emits them in
 * bursts; a few hundred replies overflow 208 KiB and the CLIENT's kernel
 * drops them, which perfdhcp would report as server drops. With this shim
 * perfdhcp's losses are the server's (the test also asserts that the client
 * namespace counted no receive-buffer errors).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>

int socket(int domain, int type, int protocol) {
    static int (*real)(int, int, int);
    if (!real) real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
    int fd = real(domain, type, protocol);
    if (fd >= 0 && domain == AF_INET && (type & 0xff) == SOCK_DGRAM) {
        const char *s = getenv("PERFDHCP_RCVBUF");
        int v = s ? atoi(s) : 16 << 20;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof v) != 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
    }
    return fd;
}
