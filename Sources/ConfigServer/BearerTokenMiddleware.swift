import HTTPTypes
import Hummingbird

/// Every admin route needs `Authorization: Bearer <token>`, except the
/// requests `isPublic` names (health and metrics, the status page's static files).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String
    var isPublic: @Sendable (Request) -> Bool = { _ in false }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if isPublic(request) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              DigestAuthenticator.constantTimeEqual(String(header.dropFirst(7)), token)
        else {
            throw APIError(.unauthorized, "a valid bearer token is required (see the admin token file)",
                           headers: [.wwwAuthenticate: "Bearer realm=\"autoprov\""])
        }
        return try await next(request, context)
    }
}
