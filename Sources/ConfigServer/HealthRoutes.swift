import Hummingbird
import ListenerReadiness
import NIOCore
import Prometheus

/// `GET /metrics` (Prometheus text format 0.0.4), `GET /healthz` (liveness)
/// and `GET /readyz` (store open, listeners bound) on the admin listener.
/// They need no bearer token: they show counts and states, never a secret,
/// a MAC or an address.
public struct HealthRoutes: Sendable {
    public static let paths: Set<String> = ["/metrics", "/healthz", "/readyz"]
    static let exposition = "text/plain; version=0.0.4; charset=utf-8"

    let registry: PrometheusCollectorRegistry
    let readiness: Readiness
    /// Runs before each scrape (gauges read from the store or the lease table).
    let beforeScrape: @Sendable () -> Void

    public init(registry: PrometheusCollectorRegistry, readiness: Readiness, beforeScrape: @escaping @Sendable () -> Void = {}) {
        self.registry = registry
        self.readiness = readiness
        self.beforeScrape = beforeScrape
    }

    func add(to router: Router<BasicRequestContext>) {
        let registry = registry, readiness = readiness, beforeScrape = beforeScrape
        router.get("metrics") { _, _ -> Response in
            beforeScrape()
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16 << 10)
            registry.emit(into: &bytes)
            return Self.text(.ok, ByteBuffer(bytes: bytes), contentType: Self.exposition)
        }
        router.get("healthz") { _, _ in Self.text(.ok, ByteBuffer(string: "ok\n")) }
        router.get("readyz") { _, _ -> Response in
            if readiness.isStopping {
                return Self.text(.serviceUnavailable, ByteBuffer(string: "stopping\n"))
            }
            let missing = readiness.missing
            guard missing.isEmpty else {
                return Self.text(.serviceUnavailable, ByteBuffer(string: "not ready: " + missing.map(\.rawValue).joined(separator: ", ") + "\n"))
            }
            return Self.text(.ok, ByteBuffer(string: "ready\n"))
        }
    }

    static func text(_ status: HTTPResponse.Status, _ body: ByteBuffer, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"], body: .init(byteBuffer: body))
    }
}
