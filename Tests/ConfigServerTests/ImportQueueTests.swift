import ConfigServer
import ListenerReadiness
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Store
import Testing

/// Issue 13 item 10: a large import runs off the request path (the listener
/// keeps answering), with progress; lists come a page at a time.
@Suite struct ImportQueueTests {
    let token = String(repeating: "ab", count: 32)
    var auth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "text/csv"] }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func csv(rows: Int, from first: Int = 1) -> String {
        // Cheap to build (no String(format:)): the test body runs on the cooperative pool.
        var text = "mac,label,group,line1_number,line1_password\n"
        text.reserveCapacity(rows * 48)
        for i in first..<(first + rows) {
            let hex = String(i, radix: 16)
            text += "0c383e" + String(repeating: "0", count: max(0, 6 - hex.count)) + hex
            text += ",Desk \(i),default,\(1000 + i),pw-\(i)\n"
        }
        return text
    }

    func app(_ h: Harness) -> some ApplicationProtocol {
        let health = HealthRoutes(registry: PrometheusCollectorRegistry(), readiness: Readiness(waitingFor: []))
        let api = AdminAPI(inventory: h.inventory, jobs: h.jobs, renderer: h.renderer, token: token, health: health)
        return Application(
            router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: [api.imports])
    }

    @Test func healthzAnswersWhileALargeImportRunsAndProgressEndsDone() async throws {
        let h = try Harness()
        let rows = 20_000
        try await app(h).test(.live) { client in
            let started = try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: auth, body: ByteBuffer(string: Self.csv(rows: rows)))
            #expect(started.status == .accepted)
            let id = try #require(try json(started)["id"] as? String)
            #expect(started.headers[.location] == "/api/v1/imports/\(id)")
            let second = try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: auth, body: ByteBuffer(string: Self.csv(rows: 1)))
            #expect(second.status == .conflict, "one import at a time")

            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(300)
            var seen: [String] = []
            var probesDuringImport = 0
            var final: [String: Any] = [:]
            while clock.now < deadline {
                let before = clock.now
                let health = try await client.execute(uri: "/healthz", method: .get)
                let took = clock.now - before
                #expect(health.status == .ok)
                #expect(took < .seconds(2), "healthz took \(took) during the import")
                let status = try json(try await client.execute(uri: "/api/v1/imports/\(id)", method: .get, headers: auth))
                let state = try #require(status["state"] as? String)
                if state == "done" || state == "failed" {
                    final = status
                    break
                }
                probesDuringImport += 1
                let step = "\(state) \(status["rows_done"] as? Int ?? -1)/\(status["rows_total"] as? Int ?? -1)"
                if seen.last != step { seen.append(step) }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(final["state"] as? String == "done", "\(final)")
            #expect(final["imported"] as? Int == rows)
            #expect(final["rows_done"] as? Int == rows && final["rows_total"] as? Int == rows)
            #expect(probesDuringImport > 0, "healthz was asked while the import ran")
            #expect(seen.count >= 2, "progress moved: \(seen)")
            #expect(try h.inventory.deviceCount() == rows)
            let missing = try await client.execute(uri: "/api/v1/imports/999", method: .get, headers: auth)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aBadFileFailsWithLineAndColumnAndNoValueAndImportsNothing() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let bad = Self.csv(rows: 3) + "0c383e0000ff,Desk,default,1,s3cret-value,extra\n"
            let started = try await client.execute(uri: "/api/v1/imports", method: .post, headers: auth, body: ByteBuffer(string: bad))
            #expect(started.status == .accepted)
            let id = try #require(try json(started)["id"] as? String)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            var status: [String: Any] = [:]
            repeat {
                status = try json(try await client.execute(uri: "/api/v1/imports/\(id)", method: .get, headers: auth))
                if status["finished"] is Double { break }
                try await Task.sleep(for: .milliseconds(20))
            } while clock.now < deadline
            #expect(status["state"] as? String == "failed")
            let errors = try #require(status["errors"] as? [[String: Any]])
            #expect(errors.first?["line"] as? Int == 5)
            #expect(!String(buffer: try await client.execute(uri: "/api/v1/imports/\(id)", method: .get, headers: auth).body)
                .contains("s3cret-value"))
            #expect(try h.inventory.deviceCount() == 0, "nothing imported")
        }
    }

    @Test(arguments: ["/api/v1/devices", "/api/v1/provisioning"])
    func pagesReturnEveryDeviceExactlyOnceInMACOrder(path: String) async throws {
        let h = try Harness()
        let rows = try DeviceCSV.parse(Self.csv(rows: 1234))
        try h.inventory.upsert(rows.map(\.device), now: 1)
        try await h.adminApp(token: token).test(.live) { client in
            var macs: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let uri = path + "?limit=100" + (cursor.map { "&after=\($0)" } ?? "")
                let page = try json(try await client.execute(uri: uri, method: .get, headers: auth))
                let devices = try #require(page["devices"] as? [[String: Any]])
                #expect(devices.count <= 100)
                macs += devices.compactMap { $0["mac"] as? String }
                cursor = page["next"] as? String
                pages += 1
            } while cursor != nil && pages < 100
            #expect(macs.count == 1234)
            #expect(Set(macs).count == 1234, "each device once")
            #expect(macs == macs.sorted(), "a stable order: by MAC")
            #expect(pages == 13)
            let first = try json(try await client.execute(uri: path, method: .get, headers: auth))
            #expect((first["devices"] as? [Any])?.count == 500, "500 by default")
        }
    }

    @Test func limitsAreBounded() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            for path in ["/api/v1/devices", "/api/v1/provisioning"] {
                for query in ["limit=0", "limit=5001", "limit=x", "after=nope"] {
                    let response = try await client.execute(uri: "\(path)?\(query)", method: .get, headers: auth)
                    #expect(response.status == .badRequest, "\(path)?\(query)")
                }
                let most = try await client.execute(uri: "\(path)?limit=5000", method: .get, headers: auth)
                #expect(most.status == .ok)
                #expect(try json(most)["next"] is NSNull, "one page: no next")
            }
        }
    }

    @Test func summaryCountsEveryDeviceByShownStateAndStateFiltersPage() async throws {
        let h = try Harness()
        try h.inventory.upsert(try DeviceCSV.parse(Self.csv(rows: 7)).map(\.device), now: 1)
        try await h.adminApp(token: token).test(.live) { client in
            let summary = try json(try await client.execute(uri: "/api/v1/provisioning/summary", method: .get, headers: auth))
            #expect(summary["total"] as? Int == 7)
            #expect(summary["states"] as? [String: Int] == ["new": 7])
            let page = try json(try await client.execute(
                uri: "/api/v1/provisioning?state=new&limit=5", method: .get, headers: auth))
            #expect((page["devices"] as? [Any])?.count == 5)
            let rest = try json(try await client.execute(
                uri: "/api/v1/provisioning?state=new&limit=5&after=\(try #require(page["next"] as? String))", method: .get, headers: auth))
            #expect((rest["devices"] as? [Any])?.count == 2)
            #expect(rest["next"] is NSNull)
        }
    }
}
