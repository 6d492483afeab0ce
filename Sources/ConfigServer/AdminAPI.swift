import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Rendering
import Store

/// The JSON admin API (Docs/openapi.yaml): devices, groups, events,
/// rendering, CSV import and export, provisioning status and push requests.
/// Bearer token on every route but the health ones (`HealthRoutes`) and the
/// status page's static files (`StatusPage`), which hold no data.
public struct AdminAPI: Sendable {
    let inventory: any InventoryStore
    let jobs: any ProvisionJobStore
    let renderer: Renderer
    let token: String
    let health: HealthRoutes?
    /// The CSV imports: a `Service` the caller runs next to the listener.
    public let imports: ImportQueue
    let now: @Sendable () -> Double

    public init(inventory: any InventoryStore, jobs: any ProvisionJobStore, renderer: Renderer, token: String,
                health: HealthRoutes? = nil, imports: ImportQueue? = nil,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.imports = imports ?? ImportQueue(inventory: inventory, now: now)
        self.inventory = inventory
        self.jobs = jobs
        self.renderer = renderer
        self.token = token
        self.health = health
        self.now = now
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let healthOpen = health != nil
        router.add(middleware: BearerTokenMiddleware(token: token, isPublic: { request in
            StatusPage.isPublic(request)
                || (healthOpen && (request.method == .get || request.method == .head) && HealthRoutes.paths.contains(request.uri.path))
        }))
        health?.add(to: router)
        let api = router.group("api/v1")
        addDeviceRoutes(to: api)
        addGroupRoutes(to: api)
        addProvisioningRoutes(to: api)
        addImportRoutes(to: api)
        addCertificateRoutes(to: api)
        StatusPage.addRoutes(to: router)
        return router
    }

    /// The MAC in the path, or a 400 naming it.
    static func mac(_ context: BasicRequestContext) throws -> MACAddress {
        let text = context.parameters.get("mac") ?? ""
        guard let mac = MACAddress(text), mac.value != 0 else {
            throw APIError(.badRequest, "expected a MAC like 0c383e07e16c", field: "mac")
        }
        return mac
    }

    /// Decodes a JSON body (at most 1 MiB); errors name the field.
    static func decode<T: StrictInput>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(.badRequest, "the body must be a JSON object")
        }
        for key in object.keys.sorted() where !T.keys.contains(key) {
            throw APIError(.badRequest, "unknown key; expected one of \(T.keys.sorted().joined(separator: ", "))", field: key)
        }
        for (i, line) in ((object["lines"] as? [Any]) ?? []).enumerated() {
            for key in ((line as? [String: Any])?.keys.sorted() ?? []) where !LineInput.keys.contains(key) {
                throw APIError(.badRequest, "unknown key; expected one of \(LineInput.keys.sorted().joined(separator: ", "))",
                               field: "lines[\(i)].\(key)")
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Self.apiError(error)
        } catch {
            throw APIError(.badRequest, "the body is not JSON")
        }
    }

    static func apiError(_ error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return APIError(.badRequest, "required", field: parent.isEmpty ? key.stringValue : "\(parent).\(key.stringValue)")
        case .typeMismatch(let type, let context):
            return APIError(.badRequest, "expected \(type)", field: path(context))
        case .valueNotFound(_, let context):
            return APIError(.badRequest, "must not be null", field: path(context))
        case .dataCorrupted(let context):
            return APIError(.badRequest, context.codingPath.isEmpty ? "the body is not JSON" : "invalid value", field: path(context))
        @unknown default:
            return APIError(.badRequest, "invalid body")
        }
    }

    /// An inventory error as the API answers it.
    static func apiError(_ error: InventoryError) -> APIError {
        switch error {
        case .exists(let what): APIError(.conflict, "\(what) already exists")
        case .notFound(let what): APIError(.notFound, "\(what) not found")
        case .groupInUse, .protectedGroup: APIError(.conflict, error.description)
        case .noSuchGroup: APIError(.badRequest, error.description, field: "group")
        case .invalid(let field, let message): APIError(.badRequest, message, field: field)
        }
    }

    /// Runs a store call, turning its errors into API errors.
    static func store<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InventoryError {
            throw apiError(error)
        }
    }
}
