import Foundation
import Crypto
import NIOPosix
import NIOSSL
import Testing
@testable import PhoneAPI

/// The fingerprint of the certificate a phone presents, read by one TLS
/// handshake that sends nothing else.
@Suite("Certificate probe")
struct CertificateProbeTests {
    static let lax = HTTPPhoneAPIClient.Settings(timeout: .seconds(60), connectTimeout: .seconds(60), tlsVerification: .none)

    @Test("an https phone's leaf certificate, SHA-256 of its DER as AB:CD:..., and no request reaches it")
    func fingerprint() async throws {
        let server = try await TestPhoneServer.start(behaviour: .reply(HTTPClientTests.quirkyReply), tls: true)
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: Self.lax)
        let https = PhoneEndpoint(host: "127.0.0.1", port: server.port, scheme: .https)
        let http = PhoneEndpoint(host: "127.0.0.1", port: server.port, scheme: .http)
        var seen: String?
        var plain: String?
        do {
            seen = try await client.certificateFingerprint(of: https)
            plain = try await client.certificateFingerprint(of: http)
        } catch {
            Issue.record("probe failed: \(error)")
        }
        try await client.shutdown()
        try await server.stop()
        let der = try NIOSSLCertificate(bytes: Array(TestCertificate.certificate.utf8), format: .pem).toDERBytes()
        let expected = SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
        #expect(seen == expected)
        #expect(seen?.count == 95)
        #expect(plain == nil, "plain http has no certificate")
        #expect(server.seen.isEmpty, "the probe sends no HTTP")
    }

    @Test("a closed port is unreachable, not a fingerprint")
    func closedPort() async throws {
        let port = try await TestPhoneServer.closedPort()
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: Self.lax)
        var failure: PhoneAPIError?
        do {
            _ = try await client.certificateFingerprint(of: PhoneEndpoint(host: "127.0.0.1", port: port, scheme: .https))
        } catch {
            failure = error
        }
        try await client.shutdown()
        #expect(failure == .unreachable("connection refused"))
    }
}
