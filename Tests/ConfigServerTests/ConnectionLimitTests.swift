@testable import ConfigServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The listeners' limits over real sockets on 127.0.0.1: connections in all
/// and per source address, the request deadline, no bodies on the phone
/// listener. Other 127.x addresses stand for other clients.
@Suite struct ConnectionLimitTests {
    func phoneServer(_ h: Harness, _ limits: ConnectionLimits) -> PhoneHTTPServer {
        PhoneHTTPServer(host: "127.0.0.1", port: 0, service: h.service(), limits: limits, logger: Logger(label: "test"))
    }

    /// Opens `count` idle connections from `source` and waits until the server holds `held` in all.
    func hold(_ count: Int, from source: String, port: Int, server: PhoneHTTPServer, held: Int) async throws -> [RawConnection] {
        var connections: [RawConnection] = []
        for _ in 0..<count { connections.append(try await RawConnection.open(port: port, from: source)) }
        #expect(try await waitUntil(within: .seconds(60)) { server.limiter.held == held }, "the server holds \(held)")
        return connections
    }

    @Test func theConnectionOverTheLimitOfOneAddressIsClosedWhileAnotherAddressGetsItsFile() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.2")
        let server = phoneServer(h, ConnectionLimits(maxConnections: 100, maxConnectionsPerAddress: 2, requestDeadline: 30))
        try await PhoneServerTester(server: server).test { client in
            let held = try await hold(2, from: "127.0.0.1", port: client.port, server: server, held: 2)
            defer { held.forEach { $0.close() } }
            let extra = try await RawConnection.open(port: client.port, from: "127.0.0.1")
            #expect(try await extra.waitClosed(), "the third connection from 127.0.0.1 is closed")
            #expect(extra.text.isEmpty, "closed without an answer: no work was done for it")
            #expect(held.allSatisfy { $0.isOpen }, "the two held ones stay")
            var phone = client
            phone.source = "127.0.0.2"
            let reply = try await phone.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(reply.status == .ok)
        }
    }

    @Test func theConnectionOverTheTotalLimitIsClosedWhateverItsAddress() async throws {
        let h = try Harness()
        let server = phoneServer(h, ConnectionLimits(maxConnections: 3, maxConnectionsPerAddress: 3, requestDeadline: 30))
        try await PhoneServerTester(server: server).test { client in
            let held = try await hold(3, from: "127.0.0.1", port: client.port, server: server, held: 3)
            let extra = try await RawConnection.open(port: client.port, from: "127.0.0.3")
            #expect(try await extra.waitClosed(), "the fourth connection is closed")
            // A place given back is a place to take again.
            held[0].close()
            #expect(try await waitUntil(within: .seconds(60)) { server.limiter.held == 2 })
            var other = client
            other.source = "127.0.0.3"
            let reply = try await other.execute(uri: "/healthz-not-here", method: .get)
            #expect(reply.status == .notFound)
            held.forEach { $0.close() }
        }
    }

    @Test func aTrickledHeadIsCutAtTheDeadlineThoughBytesKeepComing() async throws {
        let h = try Harness()
        let server = phoneServer(h, ConnectionLimits(requestDeadline: 0.5))
        try await PhoneServerTester(server: server).test { client in
            let connection = try await RawConnection.open(port: client.port)
            let start = ContinuousClock.now
            try await connection.send("GET /0c383e07e16c.cfg HTTP/1.1\r\nHost: a\r\n")
            // A header byte every 100 ms, for up to 10 s: never a whole head.
            while connection.isOpen, ContinuousClock.now - start < .seconds(60) {
                try? await connection.send("X")
                try await Task.sleep(for: .milliseconds(100))
            }
            let elapsed = ContinuousClock.now - start
            #expect(!connection.isOpen)
            #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(30), "cut at about 0.5 s, took \(elapsed)")
        }
    }

    @Test(arguments: ["POST", "PUT"])
    func aBodyToAPhoneRouteIsRefusedAtTheHeadWithoutReadingIt(method: String) async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        let server = phoneServer(h, ConnectionLimits(requestDeadline: 30))
        try await PhoneServerTester(server: server).test { client in
            let connection = try await RawConnection.open(port: client.port)
            // The head only: the body never comes, so an answer means it was not waited for.
            try await connection.send("\(method) /0c383e07e16c.cfg HTTP/1.1\r\nHost: a\r\nContent-Length: 100000000\r\n\r\n")
            #expect(try await connection.waitClosed(), "closed at once, not after the deadline")
            #expect(connection.text.hasPrefix("HTTP/1.1 413"), "got \(connection.text)")
        }
    }

    @Test func aChunkedBodyIsRefusedAtItsFirstByte() async throws {
        let h = try Harness()
        let server = phoneServer(h, ConnectionLimits(requestDeadline: 30))
        try await PhoneServerTester(server: server).test { client in
            let connection = try await RawConnection.open(port: client.port)
            try await connection.send("POST /events/boot?mac=0c383e07e16c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n400\r\na")
            #expect(try await connection.waitClosed())
            #expect(connection.text.hasPrefix("HTTP/1.1 413"))
        }
    }

    @Test func outOfDescriptorsTheListenerPausesAcceptingThenResumes() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        let server = phoneServer(h, ConnectionLimits(requestDeadline: 30))
        let channels = try await server.bind()
        defer { for channel in channels { channel.close(promise: nil) } }
        let listening = channels[0]
        // What accept() reports when the process has no descriptor left.
        listening.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept(descriptor:addr:size:)"))
        #expect(try await listening.getOption(.autoRead).get() == false, "reading the listening socket stops")
        #expect(listening.isActive, "the listener is not closed")
        let deadline = ContinuousClock.now + .seconds(60)
        var resumed = false
        while !resumed, ContinuousClock.now < deadline {
            resumed = try await listening.getOption(.autoRead).get()
            if !resumed { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(resumed, "and resumes")
        let reply = try await PhoneTestClient(port: listening.localAddress!.port!)
            .execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
        #expect(reply.status == .ok)
    }

    @Test func theLimiterTakesAQuarterOfTheDescriptorLimitAtMost() {
        let limiter = ConnectionLimiter(limits: ConnectionLimits(maxConnections: 1024), listener: "test", descriptors: 512)
        #expect(limiter.maxConnections == 128)
        #expect(ConnectionLimiter(limits: ConnectionLimits(maxConnections: 10), listener: "test", descriptors: 512).maxConnections == 10)
    }
}
