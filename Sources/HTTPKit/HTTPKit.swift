/// HTTPKit: a hand-rolled HTTP/1.1 server, router and client on POSIX sockets.
public enum HTTPKit {}
