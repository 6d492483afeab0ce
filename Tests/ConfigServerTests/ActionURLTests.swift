@testable import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Testing

/// `/events/<kind>?mac=$mac&ip=$ip`: what a provisioned phone calls on boot
/// and registration; each call becomes a `phone-<kind>` event.
@Suite struct ActionURLTests {
    @Test func thePhoneAtItsLeasedAddressIsHeardAndEveryOtherCallIsRefused() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try await h.phoneApp().test { client in
            let ok = try await client.execute(uri: "/events/boot?mac=0c383e07e16c&ip=127.0.0.1", method: .get)
            #expect(ok.status == .ok && String(buffer: ok.body) == "ok\n")
            let post = try await client.execute(uri: "/events/reg-failed?mac=0c383e07e16c&ip=127.0.0.1", method: .post)
            #expect(post.status == .ok)
            for (uri, status) in [
                ("/events/explode?mac=0c383e07e16c", 404),   // not a kind we know
                ("/events/boot?ip=127.0.0.1", 400),           // no MAC
                ("/events/boot?mac=0c383e07e16", 400),        // not 12 digits
                ("/events/boot?mac=0c383e000099", 404),       // not in the inventory
            ] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(Int(r.status.code) == status, "\(uri)")
            }
            let put = try await client.execute(uri: "/events/boot?mac=0c383e07e16c", method: .put)
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "GET, POST, HEAD")
        }
        h.recorder.flush()
        let kinds = try h.inventory.events(for: phoneMAC, limit: 10).map(\.kind.rawValue)
        #expect(kinds == ["phone-reg-failed", "phone-boot"])
    }

    @Test func aCallFromAnAddressTheDeviceDoesNotHoldIsRefused() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.9")   // the phone holds another address than the caller's 127.0.0.1
        try await h.phoneApp().test { client in
            let r = try await client.execute(uri: "/events/boot?mac=0c383e07e16c&ip=127.0.0.9", method: .get)
            #expect(r.status == .forbidden && String(buffer: r.body) == "not-leased-ip\n")
        }
        h.recorder.flush()
        #expect(try h.inventory.events(for: phoneMAC, limit: 10).allSatisfy { !$0.kind.rawValue.hasPrefix("phone-") })
    }
}
