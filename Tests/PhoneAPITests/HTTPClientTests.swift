import NIOPosix
import Testing
@testable import PhoneAPI

/// `HTTPPhoneAPIClient` against `TestPhoneServer` over real sockets.
@Suite("xmlService over HTTP")
struct HTTPClientTests {
    static let quirkyReply = """
        <?xml version="1.0" encoding="UTF-8" ?><FanvilConfiguration><RetCode>0</RetCode><Info>\
        <Item> info. dev.Mac = 0c383e000001</Item></Info></ FanvilConfiguration >
        """
    static let password = "s3cret-Pa55word"
    static let admin = PhoneCredentials(user: "admin", password: password)
    /// Deadlines for calls that must succeed or fail for another reason: far
    /// longer than any of them takes, so that a busy machine (a test run
    /// shares two cores with everything else) cannot turn them into timeouts.
    static let generous = HTTPPhoneAPIClient.Settings(timeout: .seconds(60), connectTimeout: .seconds(60))

    /// Runs `body` with a client (own HTTPClient) and a server, then stops both.
    func with(
        auth: TestPhoneServer.Auth = .none, behaviour: TestPhoneServer.Behaviour = .reply(quirkyReply),
        settings: HTTPPhoneAPIClient.Settings = generous,
        _ body: (HTTPPhoneAPIClient, PhoneEndpoint, TestPhoneServer) async throws -> Void
    ) async throws {
        let server = try await TestPhoneServer.start(auth: auth, behaviour: behaviour)
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: settings)
        let endpoint = PhoneEndpoint(host: "127.0.0.1", port: server.port)
        do {
            try await body(client, endpoint, server)
        } catch {
            try? await client.shutdown()
            try? await server.stop()
            throw error
        }
        try await client.shutdown()
        try await server.stop()
    }

    /// The error of a call that must fail, `nil` (and an issue) if it did not.
    func failure(
        _ call: () async throws(PhoneAPIError) -> XMLServiceReply, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> PhoneAPIError? {
        do {
            _ = try await call()
            Issue.record("the call succeeded", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(!"\(error)".contains(Self.password), sourceLocation: sourceLocation)
            #expect(!String(reflecting: error).contains(Self.password), sourceLocation: sourceLocation)
            return error
        }
    }

    @Test("get without auth: POST text/xml of the request body; the vendor guide's quirky reply parses")
    func getWithoutAuth() async throws {
        try await with { client, endpoint, server in
            let reply = try await client.get(["info.dev.Mac"], from: endpoint, credentials: nil)
            #expect(reply.retCode == 0)
            #expect(reply.value(for: "info.dev.Mac") == "0c383e000001")
            let seen = server.seen
            try #require(seen.count == 1)
            #expect(seen[0].method == "POST")
            #expect(seen[0].uri == "/xmlService")
            #expect(seen[0].contentType == "text/xml")
            #expect(seen[0].authorization == nil)
            #expect(seen[0].body == (try XMLServiceRequest.get(["info.dev.Mac"])).body)
        }
    }

    @Test("Digest is answered after a 401 and verified by the server", arguments: [
        ("MD5", true), ("SHA-256", true), ("MD5", false), ("SHA-256", false),
    ])
    func digest(algorithm: String, qop: Bool) async throws {
        let auth = TestPhoneServer.Auth.digest(algorithm: algorithm, qop: qop, user: "admin", password: Self.password)
        try await with(auth: auth) { client, endpoint, server in
            let reply = try await client.set([("phone.EnablePushXMLAuth", "1")], on: endpoint, credentials: Self.admin)
            #expect(reply.retCode == 0)
            let seen = server.seen
            try #require(seen.count == 2)
            #expect(seen[0].authorization == nil)
            #expect(!seen[0].accepted)
            #expect(seen[1].authorization?.hasPrefix("Digest ") == true)
            #expect(seen[1].accepted)
            #expect(seen[1].authorization?.contains(Self.password) == false)
        }
    }

    @Test("a wrong password is refused after one retry: authRefused(401), reason auth_refused")
    func wrongPassword() async throws {
        let auth = TestPhoneServer.Auth.digest(algorithm: "MD5", qop: true, user: "admin", password: "other")
        try await with(auth: auth) { client, endpoint, server in
            let error = await failure { () throws(PhoneAPIError) in
                try await client.get(["info.dev.Mac"], from: endpoint, credentials: Self.admin)
            }
            #expect(error == .authRefused(status: 401))
            #expect(error?.reason == "auth_refused")
            #expect(server.seen.count == 2)
            // The refused challenge is not reused: the next call starts without Authorization.
            _ = await failure { () throws(PhoneAPIError) in
                try await client.get(["info.dev.Mac"], from: endpoint, credentials: Self.admin)
            }
            let seen = server.seen
            try #require(seen.count == 4)
            #expect(seen[2].authorization == nil)
        }
    }

    @Test("no credentials for a phone that asks: authRefused at once")
    func noCredentials() async throws {
        let auth = TestPhoneServer.Auth.basic(user: "admin", password: Self.password)
        try await with(auth: auth) { client, endpoint, server in
            let error = await failure { () throws(PhoneAPIError) in
                try await client.get(["info.dev.Mac"], from: endpoint, credentials: nil)
            }
            #expect(error == .authRefused(status: 401))
            #expect(server.seen.count == 1)
        }
    }

    @Test("Basic is answered after a 401 (over plain http only when allowed)")
    func basic() async throws {
        let auth = TestPhoneServer.Auth.basic(user: "admin", password: Self.password)
        var allowed = Self.admin
        allowed.basicOverHTTP = true
        try await with(auth: auth) { client, endpoint, server in
            let reply = try await client.del(["mmifilter.1"], on: endpoint, credentials: allowed)
            #expect(reply.retCode == 0)
            let seen = server.seen
            try #require(seen.count == 2)
            #expect(seen[0].authorization == nil)
            #expect(seen[1].accepted)
        }
    }

    @Test("the second call to a phone sends Digest at once, nonce count incremented")
    func preemptive() async throws {
        let auth = TestPhoneServer.Auth.digest(algorithm: "SHA-256", qop: true, user: "admin", password: Self.password)
        try await with(auth: auth) { client, endpoint, server in
            _ = try await client.get(["info.dev.Mac"], from: endpoint, credentials: Self.admin)
            _ = try await client.execute("Cmd:Reboot", on: endpoint, credentials: Self.admin)
            let seen = server.seen
            try #require(seen.count == 3)
            #expect(seen[2].accepted)
            let parameters = digestParameters(try #require(seen[2].authorization)[...].dropFirst(7))
            #expect(parameters["nc"] == "00000002")
            #expect(seen[2].body.contains("FanvilPhoneExecute"))
        }
    }

    @Test("a phone that answers too slowly times out within the deadline", arguments: [true, false])
    func timeout(slowHead: Bool) async throws {
        let behaviour: TestPhoneServer.Behaviour = slowHead
            ? .slowHead(.seconds(120), Self.quirkyReply) : .slowBody(.seconds(120), Self.quirkyReply)
        try await with(behaviour: behaviour, settings: .init(timeout: .milliseconds(300))) { client, endpoint, _ in
            let start = ContinuousClock.now
            let error = await failure { () throws(PhoneAPIError) in
                try await client.get(["info.dev.Mac"], from: endpoint, credentials: nil)
            }
            #expect(error == .timeout)
            #expect(error?.reason == "timeout")
            // Long before the reply (120 s), with room for a loaded machine.
            #expect(ContinuousClock.now - start < .seconds(60))
        }
    }

    @Test("a closed port is unreachable: connection refused")
    func connectionRefused() async throws {
        let port = try await TestPhoneServer.closedPort()
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: Self.generous)
        let start = ContinuousClock.now
        let error = await failure { () throws(PhoneAPIError) in
            try await client.get(["info.dev.Mac"], from: PhoneEndpoint(host: "127.0.0.1", port: port), credentials: nil)
        }
        try await client.shutdown()
        #expect(error == .unreachable("connection refused"))
        #expect(error?.reason == "unreachable")
        #expect(ContinuousClock.now - start < .seconds(30), "refused at once, not at the 60 s deadline")
    }

    @Test("404 is httpStatus(404), reason http_404")
    func notFound() async throws {
        try await with(behaviour: .status(404)) { client, endpoint, _ in
            let error = await failure { () throws(PhoneAPIError) in
                try await client.get(["info.dev.Mac"], from: endpoint, credentials: Self.admin)
            }
            #expect(error == .httpStatus(404))
            #expect(error?.reason == "http_404")
        }
    }

    @Test("a connection closed without a reply is unreachable")
    func closedWithoutReply() async throws {
        try await with(behaviour: .close) { client, endpoint, _ in
            let error = await failure { () throws(PhoneAPIError) in
                try await client.get(["info.dev.Mac"], from: endpoint, credentials: nil)
            }
            #expect(error?.reason == "unreachable")
        }
    }

    @Test("a body over maximumReplySize is tooLarge and not read to its end, with or without Content-Length",
          arguments: [true, false])
    func oversized(chunked: Bool) async throws {
        let limit = XMLServiceReply.maximumReplySize
        // 16 MiB more than the limit: more than loopback socket buffers hold,
        // so the server's write fails when the client stops reading.
        try await with(behaviour: .large(size: limit + (16 << 20), chunked: chunked)) { client, endpoint, server in
            let error = await failure { () throws(PhoneAPIError) in
                try await client.get(["."], from: endpoint, credentials: nil)
            }
            guard case let .badReply(.tooLarge(size, reportedLimit)) = error else {
                Issue.record("wanted badReply(tooLarge), got \(String(describing: error))")
                return
            }
            #expect(size > limit)
            #expect(reportedLimit == limit)
            #expect(error?.reason == "bad_reply")
            let start = ContinuousClock.now
            while server.largeBodies.isEmpty, ContinuousClock.now - start < .seconds(30) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.largeBodies == [false])
        }
    }

    @Test("a request that cannot be built is bad_request, nothing is sent")
    func badRequest() async throws {
        try await with { client, endpoint, server in
            let error = await failure { () throws(PhoneAPIError) in
                try await client.set([("bad key", "x")], on: endpoint, credentials: Self.admin)
            }
            #expect(error == .request(.invalidKey("bad key")))
            #expect(error?.reason == "bad_request")
            #expect(server.seen.isEmpty)
        }
    }

    @Test("HTTPS to a self-signed phone: accepted with tlsVerification .none, refused with .full")
    func https() async throws {
        let server = try await TestPhoneServer.start(behaviour: .reply(Self.quirkyReply), tls: true)
        let endpoint = PhoneEndpoint(host: "127.0.0.1", port: server.port, scheme: .https)
        let lax = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                     settings: .init(timeout: .seconds(60), connectTimeout: .seconds(60), tlsVerification: .none))
        let strict = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: Self.generous)
        var reply: XMLServiceReply?
        do {
            reply = try await lax.get(["info.dev.Mac"], from: endpoint, credentials: nil)
        } catch {
            Issue.record("HTTPS with tlsVerification .none failed: \(error)")
        }
        let error = await failure { () throws(PhoneAPIError) in
            try await strict.get(["info.dev.Mac"], from: endpoint, credentials: nil)
        }
        try await lax.shutdown()
        try await strict.shutdown()
        try await server.stop()
        #expect(reply?.value(for: "info.dev.Mac") == "0c383e000001")
        #expect(error == .unreachable("TLS handshake failed"))
        #expect(server.seen.count == 1)
    }

    @Test("credentials never show their password")
    func credentialsRedacted() {
        var dumped = ""
        dump(Self.admin, to: &dumped)
        for text in ["\(Self.admin)", String(reflecting: Self.admin), dumped] {
            #expect(!text.contains(Self.password))
            #expect(text.contains("admin"))
        }
    }
}
