import Crypto
import NIOCore
import NIOPosix
import NIOSSL

/// Reads the certificate a phone presents on its HTTPS port: one TLS
/// handshake on a connection of its own (AsyncHTTPClient does not expose the
/// peer's certificate), then closed without a byte of HTTP. The certificate
/// is not verified here (phones ship self-signed ones): the caller compares
/// its fingerprint with the one remembered (trust on first use).
///
/// The handshake is separate from the exchanges that follow it: a host that
/// can relay the probe to the real phone and then answer the exchanges
/// itself is not caught. It catches what it is for: a phone replaced, or
/// another host at the phone's address.
enum PhoneCertificateProbe {
    /// The SHA-256 of the leaf certificate's DER, `AB:CD:...` (32 pairs).
    static func fingerprint(
        host: String, port: Int, deadline: ContinuousClock.Instant, group: any EventLoopGroup
    ) async throws -> String {
        // The callback replaces the platform's verification (so it must not
        // be `.none`, which skips it): it sees the chain as presented, keeps
        // the leaf and accepts, so that the handshake completes.
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: configuration)
        let eventLoop = group.next()
        let presented = eventLoop.makePromise(of: NIOSSLCertificate.self)
        let sni = isAddress(host) ? nil : host
        let left = deadline - .now
        guard left > .zero else { throw DeadlineReached() }
        let connecting = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(left))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: sni) { chain, verdict in
                        if let leaf = chain.first {
                            presented.succeed(leaf)
                            verdict.succeed(.certificateVerified)
                        } else {
                            verdict.succeed(.failed)
                        }
                    }
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHandler(FailureWatcher(done: presented))
                }
            }
            .connect(host: host, port: port)
        let channel: any Channel
        do {
            channel = try await connecting.get()
        } catch {
            presented.fail(error)
            throw error
        }
        defer { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in presented.fail(ChannelError.ioOnClosedChannel) }
        let certificate = try await Deadline.run(until: deadline) { try await presented.futureResult.get() }
        return format(SHA256.hash(data: try certificate.toDERBytes()))
    }

    /// `AB:CD:...`, uppercase, as browsers and `openssl x509 -fingerprint` show it.
    static func format(_ digest: some Sequence<UInt8>) -> String {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: ":")
    }

    /// SNI carries names only, never addresses.
    static func isAddress(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }
}

/// Fails `done` with the first error of the connection (a refused or
/// failed handshake) before any certificate was seen.
private final class FailureWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let done: EventLoopPromise<NIOSSLCertificate>

    init(done: EventLoopPromise<NIOSSLCertificate>) {
        self.done = done
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}
