import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// `POST /api/v1/devices/{mac}/accept-certificate`: `autoprov device
/// accept-cert` over HTTP.
@Suite struct AcceptCertificateAPITests {
    let token = String(repeating: "ab", count: 32)
    var auth: HTTPFields { [.authorization: "Bearer \(token)"] }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func thePinnedCertificateIsForgottenAndTheRequestRecorded() async throws {
        let h = try Harness()
        try h.addPhone()
        _ = try h.inventory.pinAPICertificate(phoneMAC, sha256: "AB:CD", now: 2)
        try await h.adminApp(token: token).test(.live) { client in
            let uri = "/api/v1/devices/0c383e07e16c/accept-certificate"
            #expect(try await client.execute(uri: uri, method: .post).status == .unauthorized)
            #expect(try h.inventory.device(phoneMAC)?.apiCertSHA256 == "AB:CD", "nothing changed without the token")

            let accepted = try await client.execute(uri: uri, method: .post, headers: auth)
            #expect(accepted.status == .ok)
            let body = try json(accepted)
            #expect(body["mac"] as? String == "0c383e07e16c" && body["previous"] as? String == "AB:CD" && body["accepted"] is Double)
            #expect(try h.inventory.device(phoneMAC)?.apiCertSHA256 == nil)
            let event = try #require(try h.inventory.events(for: phoneMAC, limit: 1).first)
            #expect(event.kind == .apiCertAccepted && event.reason == "by the admin API (was AB:CD)")

            let again = try json(try await client.execute(uri: uri, method: .post, headers: auth))
            #expect(again["previous"] is NSNull, "present and null when nothing was pinned")
            let missing = try await client.execute(uri: "/api/v1/devices/0c383e0000ff/accept-certificate", method: .post, headers: auth)
            #expect(missing.status == .notFound)
        }
    }
}
