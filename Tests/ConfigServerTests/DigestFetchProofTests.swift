@testable import ConfigServer
import Foundation
import HTTPTypes
import Store
import Testing

/// The proof the provisioning worker waits for under Digest: a fetch of the
/// device's own file that passed the Digest check is written down with its
/// time and address; a fetch let in by its lease alone, a common file or a
/// refused fetch is not.
@Suite struct DigestFetchProofTests {
    @Test func onlyTheOwnFileServedAfterAValidDigestCheckIsAProof() async throws {
        let h = try Harness()
        try h.addPhone(variables: ["provisioning_username": "prov", "provisioning_password": "prov-pw"])
        try h.lease("127.0.0.1")
        var settings = ConfigServerSettings()
        settings.authorization = .leasedIPOrDigest
        try await h.phoneApp(settings).test { (client: PhoneTestClient) async throws in
            // Let in by the lease: served, no proof.
            #expect(try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA]).status == .ok)
            h.recorder.flush()
            #expect(try h.inventory.device(phoneMAC)?.digestFetch == nil)
        }
        settings.authorization = .leasedIPAndDigest
        try await h.phoneApp(settings).test { (client: PhoneTestClient) async throws in
            let uri = "/0c383e07e16c.cfg"
            let first = try await client.execute(uri: uri, method: .get, headers: [.userAgent: fanvilUA])
            #expect(first.status == .unauthorized)
            let challenge = first.headers[values: .wwwAuthenticate][0]
            let bad = DigestTests.authorization(challenge, user: "prov", password: "wrong", uri: uri)
            #expect(try await client.execute(uri: uri, method: .get, headers: [.userAgent: fanvilUA, .authorization: bad]).status
                == .unauthorized)
            h.recorder.flush()
            #expect(try h.inventory.device(phoneMAC)?.digestFetch == nil, "a refused fetch proves nothing")
            let before = Date().timeIntervalSince1970
            let good = DigestTests.authorization(challenge, user: "prov", password: "prov-pw", uri: uri)
            #expect(try await client.execute(uri: uri, method: .get, headers: [.userAgent: fanvilUA, .authorization: good]).status == .ok)
            h.recorder.flush()
            let proof = try #require(try h.inventory.device(phoneMAC)?.digestFetch)
            #expect(proof.ip == "127.0.0.1" && proof.time >= before - 1)
        }
    }

    @Test func theNewestProofOfABatchIsKept() {
        let mac = phoneMAC
        let merged = FetchRecorder.latestPerDevice([
            DeviceContact(mac: mac, time: 1, ip: "192.0.2.5", model: nil, firmware: nil, fetchedOwnFile: true,
                          digestFetch: DigestFetch(time: 1, ip: "192.0.2.5")),
            DeviceContact(mac: mac, time: 3, ip: "192.0.2.6", model: nil, firmware: nil, fetchedOwnFile: true,
                          digestFetch: DigestFetch(time: 3, ip: "192.0.2.6")),
            DeviceContact(mac: mac, time: 4, ip: "192.0.2.7", model: nil, firmware: nil, fetchedOwnFile: false),
        ])
        #expect(merged.count == 1 && merged[0].digestFetch == DigestFetch(time: 3, ip: "192.0.2.6") && merged[0].ip == "192.0.2.7")
    }
}
