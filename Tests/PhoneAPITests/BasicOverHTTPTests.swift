import NIOPosix
import Testing
@testable import PhoneAPI

/// HTTP Basic puts the password on the wire: over plain http it is answered
/// only when the credentials allow it (`PhoneCredentials.basicOverHTTP`).
@Suite("Basic over plain http")
struct BasicOverHTTPTests {
    static let password = "s3cret-Pa55word"
    static let basic = TestPhoneServer.Auth.basic(user: "admin", password: password)
    static let lax = HTTPPhoneAPIClient.Settings(timeout: .seconds(60), connectTimeout: .seconds(60), tlsVerification: .none)

    /// One call to a phone demanding Basic; the call's error (nil when it
    /// succeeded) and every request the phone saw.
    func call(
        credentials: PhoneCredentials, tls: Bool = false, times: Int = 1
    ) async throws -> (error: PhoneAPIError?, seen: [TestPhoneServer.Seen]) {
        let server = try await TestPhoneServer.start(auth: Self.basic, behaviour: .reply(HTTPClientTests.quirkyReply), tls: tls)
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: Self.lax)
        let endpoint = PhoneEndpoint(host: "127.0.0.1", port: server.port, scheme: tls ? .https : .http)
        var failure: PhoneAPIError?
        for _ in 0..<times {
            do {
                _ = try await client.get(["info.dev.Mac"], from: endpoint, credentials: credentials)
            } catch {
                failure = error
            }
        }
        try await client.shutdown()
        try await server.stop()
        return (failure, server.seen)
    }

    @Test("refused without the allowance: the phone never sees an Authorization header")
    func refused() async throws {
        let (error, seen) = try await call(credentials: PhoneCredentials(user: "admin", password: Self.password), times: 2)
        #expect(error == .basicOverHTTP)
        #expect(error?.reason == "basic_over_http")
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("post_provision.basic_over_http_groups"))
        #expect(!text.contains(Self.password) && !String(reflecting: error).contains(Self.password))
        // Each call is one unauthenticated request, answered 401, and no retry.
        #expect(seen.count == 2)
        #expect(seen.allSatisfy { $0.authorization == nil && !$0.accepted })
    }

    @Test("with the allowance, Basic is sent and accepted")
    func allowed() async throws {
        let (error, seen) = try await call(
            credentials: PhoneCredentials(user: "admin", password: Self.password, basicOverHTTP: true))
        #expect(error == nil)
        try #require(seen.count == 2)
        #expect(seen[0].authorization == nil)
        #expect(seen[1].authorization?.hasPrefix("Basic ") == true && seen[1].accepted)
    }

    @Test("over https Basic is answered without the allowance")
    func https() async throws {
        let (error, seen) = try await call(credentials: PhoneCredentials(user: "admin", password: Self.password), tls: true)
        #expect(error == nil)
        #expect(seen.last?.authorization?.hasPrefix("Basic ") == true && seen.last?.accepted == true)
    }

    @Test("a Basic challenge remembered from an allowed call is not sent on a call that is not allowed")
    func cachedChallengeNotReused() async throws {
        let server = try await TestPhoneServer.start(auth: Self.basic, behaviour: .reply(HTTPClientTests.quirkyReply))
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: Self.lax)
        let endpoint = PhoneEndpoint(host: "127.0.0.1", port: server.port)
        _ = try? await client.get(["info.dev.Mac"], from: endpoint,
                                  credentials: PhoneCredentials(user: "admin", password: Self.password, basicOverHTTP: true))
        var error: PhoneAPIError?
        do {
            _ = try await client.get(["info.dev.Mac"], from: endpoint, credentials: PhoneCredentials(user: "admin", password: Self.password))
        } catch let failure {
            error = failure
        }
        try await client.shutdown()
        try await server.stop()
        #expect(error == .basicOverHTTP)
        let seen = server.seen
        try #require(seen.count == 3)
        #expect(seen[2].authorization == nil)
    }
}
