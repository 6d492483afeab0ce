import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// `GET /api/v1/provisioning`, `GET /api/v1/devices/{mac}/provisioning`
/// and `POST /api/v1/devices/{mac}/push`.
@Suite struct ProvisioningAPITests {
    let token = String(repeating: "ab", count: 32)
    var auth: HTTPFields { [.authorization: "Bearer \(token)"] }
    let verified = MACAddress("0c383e000001")!
    let failed = MACAddress("0c383e000002")!
    let timedOut = MACAddress("0c383e000003")!
    let fresh = MACAddress("0c383e000004")!

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// Four devices with two lines each: verified, failed on line 1 (403),
    /// timed out waiting for both lines, and one never seen (no job).
    func seed(_ h: Harness) throws {
        let lines = [SIPLine(index: 1, number: "2001", password: "sip-pw-1"), SIPLine(index: 2, number: "2002", password: "sip-pw-2")]
        for (i, mac) in [verified, failed, timedOut, fresh].enumerated() {
            try h.inventory.insert(Device(mac: mac, label: "Desk \(i + 1)", model: i == 0 ? "X4U" : nil, lines: lines), now: 1)
        }
        try h.leases.commitBlocking(leases: [], events: [verified, failed, timedOut].enumerated().map { i, mac in
            LeaseEvent(time: 2, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.\(i + 1)")!)
        })
        _ = try h.jobs.ingestTriggers(limit: 100, now: 10) { event, _ in
            guard case .lease(let e) = event else { return nil }
            return ProvisionJobReset(state: .leased, trigger: "leased", ip: e.ip.description, due: 10, deadline: 400)
        }
        let outcomes: [(MACAddress, ProvisionJob.State, String?, Int?)] = [
            (verified, .verified, nil, 200),
            (failed, .failed, "line 1 registerCode 403", 403),
            (timedOut, .failed, "timeout: line 1 registerCode 0, line 2 registerCode missing", nil),
        ]
        for (mac, state, reason, status) in outcomes {
            let job = try #require(try h.jobs.job(mac))
            let event = DeviceEvent(time: 20, kind: .init(rawValue: "provision-" + state.rawValue), mac: mac, status: status, reason: reason)
            #expect(try h.jobs.update(job, ProvisionJobUpdate(state: state, reason: reason, due: nil, attempts: 0, event: event), now: 20))
        }
    }

    @Test func theListShowsEveryDeviceWithItsJobLastEventAndRegistration() async throws {
        let h = try Harness()
        try seed(h)
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(uri: "/api/v1/provisioning", method: .get, headers: auth)
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["time"] is Double)
            let devices = try #require(body["devices"] as? [[String: Any]])
            #expect(devices.map { $0["mac"] as? String } == ["0c383e000001", "0c383e000002", "0c383e000003", "0c383e000004"])
            let keys: Set<String> = ["mac", "label", "model", "ip", "state", "reason", "trigger", "started", "updated", "last_event",
                                     "last_event_status", "last_event_time", "registration", "registration_time"]
            for device in devices { #expect(Set(device.keys) == keys, "every key, null when unknown") }

            let ok = devices[0]
            #expect(ok["state"] as? String == "verified" && ok["model"] as? String == "X4U" && ok["ip"] as? String == "127.64.1.1")
            #expect(ok["trigger"] as? String == "leased" && ok["started"] as? Double == 10 && ok["updated"] as? Double == 20)
            #expect(ok["last_event"] as? String == "provision-verified" && ok["last_event_status"] as? Int == 200)
            #expect(ok["registration_time"] as? Double == 20)
            let okLines = try #require(ok["registration"] as? [[String: Any]])
            #expect(okLines.map { $0["line"] as? Int } == [1, 2] && okLines.allSatisfy { $0["registered"] as? Bool == true })
            #expect(okLines[0]["code"] as? Int == 200 && okLines[1]["code"] is NSNull && okLines[1]["number"] as? String == "2002")

            let bad = devices[1]
            #expect(bad["state"] as? String == "failed" && bad["reason"] as? String == "line 1 registerCode 403")
            let badLines = try #require(bad["registration"] as? [[String: Any]])
            #expect(badLines.count == 1 && badLines[0]["line"] as? Int == 1 && badLines[0]["registered"] as? Bool == false)
            #expect(badLines[0]["code"] as? Int == 403)

            let waited = try #require(devices[2]["registration"] as? [[String: Any]])
            #expect(waited.map { $0["line"] as? Int } == [1, 2] && waited[0]["code"] as? Int == 0 && waited[1]["code"] is NSNull)

            let none = devices[3]
            #expect(none["state"] as? String == "new" && none["registration"] as? [Any] != nil)
            for key in ["reason", "trigger", "started", "updated", "ip", "last_event", "registration_time"] {
                #expect(none[key] is NSNull, "\(key)")
            }
            let text = String(buffer: response.body)
            #expect(!text.contains("sip-pw"), "no password")

            let onlyFailed = try json(try await client.execute(uri: "/api/v1/provisioning?state=failed", method: .get, headers: auth))
            #expect((onlyFailed["devices"] as? [[String: Any]])?.map { $0["mac"] as? String } == ["0c383e000002", "0c383e000003"])
            let onlyNew = try json(try await client.execute(uri: "/api/v1/provisioning?state=new", method: .get, headers: auth))
            #expect((onlyNew["devices"] as? [Any])?.count == 1)
            let bogus = try await client.execute(uri: "/api/v1/provisioning?state=bogus", method: .get, headers: auth)
            #expect(bogus.status == .badRequest)
            #expect(try json(bogus)["field"] as? String == "state")
        }
    }

    @Test func oneDevicesProvisioningIsTheSameAsInTheList() async throws {
        let h = try Harness()
        try seed(h)
        try await h.adminApp(token: token).test(.live) { client in
            let list = try json(try await client.execute(uri: "/api/v1/provisioning", method: .get, headers: auth))
            let fromList = try #require((list["devices"] as? [[String: Any]])?[1])
            let one = try await client.execute(uri: "/api/v1/devices/0c383e000002/provisioning", method: .get, headers: auth)
            #expect(one.status == .ok)
            #expect(NSDictionary(dictionary: try json(one)) == NSDictionary(dictionary: fromList))
            let missing = try await client.execute(uri: "/api/v1/devices/0c383e0000ff/provisioning", method: .get, headers: auth)
            #expect(missing.status == .notFound)
            let bad = try await client.execute(uri: "/api/v1/devices/nope/provisioning", method: .get, headers: auth)
            #expect(bad.status == .badRequest)
            #expect(try json(bad)["field"] as? String == "mac")
        }
    }

    @Test func aPushIsRecordedAsTheEventTheWorkerFollows() async throws {
        let h = try Harness()
        try seed(h)
        try await h.adminApp(token: token).test(.live) { client in
            let refused = try await client.execute(uri: "/api/v1/devices/0c383e000002/push", method: .post)
            #expect(refused.status == .unauthorized)
            #expect(try h.inventory.events(for: failed, limit: 1).first?.kind.rawValue == "provision-failed", "nothing recorded")

            let pushed = try await client.execute(uri: "/api/v1/devices/0c383e000002/push", method: .post, headers: auth)
            #expect(pushed.status == .accepted)
            let body = try json(pushed)
            #expect(body["mac"] as? String == "0c383e000002" && body["requested"] is Double)
            let event = try #require(try h.inventory.events(for: failed, limit: 1).first)
            #expect(event.kind.rawValue == "push-requested" && event.reason == "by the admin API")
            let missing = try await client.execute(uri: "/api/v1/devices/0c383e0000ff/push", method: .post, headers: auth)
            #expect(missing.status == .notFound)
        }
        // The worker's trigger cursor sees the request: a plan like the
        // worker's restarts the job from it.
        _ = try h.jobs.ingestTriggers(limit: 100, now: 30) { event, _ in
            guard case .device(let e) = event, e.kind.rawValue == "push-requested" else { return nil }
            return ProvisionJobReset(state: .configFetched, trigger: e.kind.rawValue, ip: nil, due: 30, deadline: 400)
        }
        let job = try #require(try h.jobs.job(failed))
        #expect(job.trigger == "push-requested" && job.state == .configFetched && job.ip == "127.64.1.2")
        #expect(try h.jobs.job(verified)?.state == .verified, "no other job restarted")
    }

    @Test func theNewRoutesNeedTheToken() async throws {
        let h = try Harness()
        try seed(h)
        try await h.adminApp(token: token).test(.live) { client in
            for (uri, method) in [("/api/v1/provisioning", HTTPRequest.Method.get), ("/api/v1/devices/0c383e000001/provisioning", .get),
                                  ("/api/v1/devices/0c383e000001/push", .post)] {
                for header in ["", "Bearer wrong", "Basic YTpi"] {
                    let headers: HTTPFields = header.isEmpty ? [:] : [.authorization: header]
                    let response = try await client.execute(uri: uri, method: method, headers: headers)
                    #expect(response.status == .unauthorized, "\(method) \(uri) with '\(header)'")
                }
            }
        }
    }
}
