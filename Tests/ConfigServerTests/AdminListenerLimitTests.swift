@testable import ConfigServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The admin listener (Hummingbird) with `AdminListener`'s handlers: its
/// connection limits and request deadline over real sockets.
@Suite struct AdminListenerLimitTests {
    func app(_ h: Harness, _ limiter: ConnectionLimiter) -> some ApplicationProtocol {
        let api = AdminAPI(inventory: h.inventory, jobs: h.jobs, renderer: h.renderer, token: String(repeating: "ab", count: 32))
        return Application(
            router: api.router(), server: .http1(configuration: AdminListener.channelConfiguration(limiter.limits, limiter: limiter)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func aTrickledBodyIsCutAtTheDeadlineThoughBytesKeepComing() async throws {
        let h = try Harness()
        let limiter = ConnectionLimiter(limits: ConnectionLimits(requestDeadline: 0.5), listener: "admin")
        try await app(h, limiter).test(.live) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            let start = ContinuousClock.now
            try await connection.send(
                "POST /api/v1/devices HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(String(repeating: "ab", count: 32))\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{")
            while connection.isOpen, ContinuousClock.now - start < .seconds(60) {
                try? await connection.send(" ")
                try await Task.sleep(for: .milliseconds(100))
            }
            let elapsed = ContinuousClock.now - start
            #expect(!connection.isOpen)
            #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(30), "cut at about 0.5 s, took \(elapsed)")
        }
    }

    @Test func theConnectionOverTheLimitOfOneAddressIsClosedWhileAnotherIsAnswered() async throws {
        let h = try Harness()
        let limiter = ConnectionLimiter(
            limits: ConnectionLimits(maxConnections: 10, maxConnectionsPerAddress: 2, requestDeadline: 30), listener: "admin")
        try await app(h, limiter).test(.live) { client in
            let port = try #require(client.port)
            var held: [RawConnection] = []
            for _ in 0..<2 { held.append(try await RawConnection.open(port: port, from: "127.0.0.1")) }
            defer { held.forEach { $0.close() } }
            #expect(try await waitUntil(within: .seconds(60)) { limiter.held == 2 })
            let extra = try await RawConnection.open(port: port, from: "127.0.0.1")
            #expect(try await extra.waitClosed())
            let other = try await RawConnection.open(port: port, from: "127.0.0.2")
            try await other.send("GET /api/v1/devices HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            #expect(try await other.waitClosed())
            #expect(other.text.hasPrefix("HTTP/1.1 401"), "answered (no token): got \(other.text.prefix(40))")
        }
    }
}
