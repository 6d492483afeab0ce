@testable import ConfigServer
import Foundation
import HTTPTypes
import Store
import Testing

/// Once a device's own provisioning secret is in force, its file is served
/// only with Digest under it (user: its MAC), whatever `authorize` says: a
/// request from its leased address without Digest, or with the shared
/// provisioning password, gets a 401 and nothing else.
@Suite struct DeviceSecretFetchTests {
    let uri = "/0c383e07e16c.cfg"
    let shared = ["provisioning_username": "prov", "provisioning_password": "prov-pw"]

    func harness(secret: ProvisioningSecret?) throws -> Harness {
        let h = try Harness()
        try h.inventory.insert(Device(
            mac: phoneMAC, variables: shared,
            lines: [SIPLine(index: 1, number: "101", password: "sip-s3cret", registrar: "pbx.example")],
            provisioningSecret: secret), now: 1)
        try h.lease("127.0.0.1")
        return h
    }

    func get(_ client: PhoneTestClient, user: String? = nil, password: String = "") async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [.userAgent: fanvilUA]
        if let user {
            let first = try await client.execute(uri: uri, method: .get, headers: headers)
            #expect(first.status == .unauthorized)
            headers[.authorization] = DigestTests.authorization(
                first.headers[values: .wwwAuthenticate][0], user: user, password: password, uri: uri)
        }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return (response.status, String(buffer: response.body))
    }

    @Test(arguments: [FetchAuthorization.leasedIP, .leasedIPOrDigest, .digest, .leasedIPAndDigest])
    func inForceOnlyTheDeviceSecretOpensTheFile(_ policy: FetchAuthorization) async throws {
        let secret = ProvisioningSecret(value: ProvisioningSecret.generate().value, inForceSince: 1)
        let h = try harness(secret: secret)
        var settings = ConfigServerSettings()
        settings.authorization = policy
        try await h.phoneApp(settings).test { (client: PhoneTestClient) async throws in
            let (plain, plainBody) = try await get(client)
            #expect(plain == .unauthorized, "the leased address alone")
            #expect(!plainBody.contains("sip-s3cret"))
            let (sharedStatus, _) = try await get(client, user: "prov", password: "prov-pw")
            #expect(sharedStatus == .unauthorized, "the shared provisioning password")
            let (wrongUser, _) = try await get(client, user: "prov", password: secret.value)
            #expect(wrongUser == .unauthorized, "the secret under another user")
            let (own, body) = try await get(client, user: phoneMAC.compact, password: secret.value)
            #expect(own == .ok)
            // The file keeps the phone on its own credentials.
            #expect(body.contains("ap.DefaultUsername = 0c383e07e16c") || body.contains("<DefaultUsername>0c383e07e16c<"))
            #expect(body.contains(secret.value))
        }
        h.recorder.flush()
        #expect(try h.inventory.device(phoneMAC)?.digestFetch?.ip == "127.0.0.1", "the proof the worker waits for")
    }

    @Test func pendingTheBootstrapPolicyStillHoldsAndTheSecretIsAcceptedToo() async throws {
        let secret = ProvisioningSecret.generate()
        let h = try harness(secret: secret)
        try await h.phoneApp().test { (client: PhoneTestClient) async throws in
            #expect(try await get(client).0 == .ok, "leased_ip: the lease, until the job is verified")
        }
        var settings = ConfigServerSettings()
        settings.authorization = .digest
        try await h.phoneApp(settings).test { (client: PhoneTestClient) async throws in
            #expect(try await get(client, user: "prov", password: "prov-pw").0 == .ok)
            #expect(try await get(client, user: phoneMAC.compact, password: secret.value).0 == .ok)
        }
    }

    @Test func withoutASecretOrWithTheSettingOffTheBootstrapPolicyHolds() async throws {
        let h = try harness(secret: nil)
        try await h.phoneApp().test { (client: PhoneTestClient) async throws in
            #expect(try await get(client).0 == .ok)
        }
        let other = try harness(secret: ProvisioningSecret(value: "x-secret-x", inForceSince: 1))
        var settings = ConfigServerSettings()
        settings.perDeviceSecret = false
        try await other.phoneApp(settings).test { (client: PhoneTestClient) async throws in
            #expect(try await get(client).0 == .ok)
        }
    }

    @Test func theAdminAPIShowsThatThereIsASecretNeverItsValueAndResetsIt() async throws {
        let secret = ProvisioningSecret(value: ProvisioningSecret.generate().value, inForceSince: 1)
        let h = try harness(secret: secret)
        let token = String(repeating: "ab", count: 32)
        try await h.adminApp(token: token).test(.live) { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let shown = try await client.execute(uri: "/api/v1/devices/0c383e07e16c", method: .get, headers: auth)
            let body = String(buffer: shown.body)
            #expect(body.contains("\"device_secret\":\"in-force\""))
            #expect(!body.contains(secret.value))
            let reset = try await client.execute(uri: "/api/v1/devices/0c383e07e16c/reset-secret", method: .post, headers: auth)
            #expect(reset.status == .ok)
            #expect(String(buffer: reset.body).contains("\"had_secret\":true"))
            #expect(!String(buffer: reset.body).contains(secret.value))
        }
        #expect(try h.inventory.device(phoneMAC)?.provisioningSecret == nil)
    }
}
