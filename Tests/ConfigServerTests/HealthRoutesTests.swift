import ConfigServer
import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import ListenerReadiness
import HummingbirdTesting
import Prometheus
import Synchronization
import Testing

@Suite struct HealthRoutesTests {
    let token = String(repeating: "ab", count: 32)

    func app(_ health: HealthRoutes) throws -> some ApplicationProtocol {
        let h = try Harness()
        let api = AdminAPI(inventory: h.inventory, jobs: h.jobs, renderer: h.renderer, token: token, health: health)
        return Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func healthAndReadinessNeedNoTokenAndNameWhatIsMissing() async throws {
        let readiness = Readiness(waitingFor: [.store, .configHTTP])
        let health = HealthRoutes(registry: PrometheusCollectorRegistry(), readiness: readiness)
        try await app(health).test(.router) { client in
            let live = try await client.execute(uri: "/healthz", method: .get)
            #expect(live.status == .ok)
            #expect(String(buffer: live.body) == "ok\n")
            let early = try await client.execute(uri: "/readyz", method: .get)
            #expect(early.status == .serviceUnavailable)
            #expect(String(buffer: early.body) == "not ready: store, config_server\n")
            readiness.mark(.store)
            let half = try await client.execute(uri: "/readyz", method: .get)
            #expect(half.status == .serviceUnavailable)
            #expect(String(buffer: half.body) == "not ready: config_server\n")
            readiness.mark(.configHTTP)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            readiness.stopping()
            let stopping = try await client.execute(uri: "/readyz", method: .get)
            #expect(stopping.status == .serviceUnavailable, "graceful shutdown has started")
            #expect(String(buffer: stopping.body) == "stopping\n")
            let alive = try await client.execute(uri: "/healthz", method: .get)
            #expect(alive.status == .ok, "still alive while it stops")
        }
    }

    @Test func metricsAreTheRegistryInTheTextFormatWithoutAToken() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let counter = CoreMetrics.Counter(label: "autoprov_test_total", dimensions: [("kind", "a")], factory: factory)
        counter.increment(by: 3)
        let scrapes = Atomic<Int>(0)
        let health = HealthRoutes(registry: registry, readiness: Readiness(waitingFor: [])) {
            scrapes.add(1, ordering: .relaxed)
        }
        try await app(health).test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(text.contains("# TYPE autoprov_test_total counter"))
            #expect(text.contains(#"autoprov_test_total{kind="a"} 3"#))
            #expect(scrapes.load(ordering: .relaxed) == 1)
        }
    }

    @Test func onlyGETOfTheHealthPathsSkipsTheToken() async throws {
        let health = HealthRoutes(registry: PrometheusCollectorRegistry(), readiness: Readiness(waitingFor: []))
        try await app(health).test(.router) { client in
            #expect(try await client.execute(uri: "/metrics", method: .post).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/devices", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/metricsx", method: .get).status == .unauthorized)
            let authed = try await client.execute(
                uri: "/readyz", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(authed.status == .ok)
        }
    }
}
