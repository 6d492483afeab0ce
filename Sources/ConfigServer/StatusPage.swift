import HTTPTypes
import Hummingbird
import NIOCore

/// The status page on the admin listener: `/ui/` lists every device and
/// where its provisioning stands (filter by state, updated every second),
/// `/ui/devices/<mac>` shows one device's events and can ask for a re-push.
///
/// Server side it is only static files compiled into the binary (HTML, CSS
/// and plain JavaScript, `StatusPageHTML`, `StatusPageStyle`,
/// `StatusPageScript*`). They hold no data, so they are served without the
/// token; the page's scripts get everything from the JSON API.
///
/// The token: the page asks for it in a form and keeps it in the tab's
/// `sessionStorage`; the scripts send it as `Authorization: Bearer`. Chosen
/// over an HttpOnly session cookie because the API then stays bearer-only:
/// there is no credential a browser attaches by itself, so no other site can
/// make a logged-in browser push phones (no CSRF to defend), and the server
/// keeps no sessions. The token never appears in a URL (its input has no
/// `name`, and the policy forbids form submission) nor in a log (autoprov
/// logs no request headers). The price, that a script of the page could
/// read it, is kept small by a policy that runs only these files (no inline
/// script, nothing from elsewhere) and by scripts that write every value
/// into the page as text, never as HTML.
public enum StatusPage {
    struct Asset: Sendable {
        let contentType: String
        let body: String
    }

    static let html = "text/html; charset=utf-8"
    static let assets: [String: Asset] = [
        "/ui/style.css": Asset(contentType: "text/css; charset=utf-8", body: StatusPageStyle.css),
        "/ui/common.js": Asset(contentType: "text/javascript; charset=utf-8", body: StatusPageScript.common),
        "/ui/list.js": Asset(contentType: "text/javascript; charset=utf-8", body: StatusPageScript.list),
        "/ui/device.js": Asset(contentType: "text/javascript; charset=utf-8", body: StatusPageScript.device),
    ]

    /// Served with every page and file: only this server's own scripts,
    /// styles and API; no inline script, no frames, no form submission.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-cache",
    ]

    /// GET of a page or file of the status page (or `/`, which leads to it):
    /// served without the token. Only exact paths: anything else needs it.
    @Sendable static func isPublic(_ request: Request) -> Bool {
        request.method == .get && isPublicPath(request.uri.path)
    }

    static func isPublicPath(_ path: String) -> Bool {
        path == "/" || path == "/ui" || path == "/ui/" || assets[path] != nil || devicePageMAC(path) != nil
    }

    /// The MAC of `/ui/devices/<12 lowercase hex digits>`.
    static func devicePageMAC(_ path: String) -> String? {
        let prefix = "/ui/devices/"
        guard path.hasPrefix(prefix) else { return nil }
        let mac = path.dropFirst(prefix.count)
        guard mac.utf8.count == 12, mac.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return String(mac)
    }

    static func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            Response(status: .found, headers: [.location: "/ui/"])
        }
        // `/ui` and `/ui/` (the router does not tell them apart).
        router.get("ui") { _, _ in respond(html, StatusPageHTML.list) }
        for (path, asset) in assets {
            router.get(RouterPath(path)) { _, _ in respond(asset.contentType, asset.body) }
        }
        router.get("ui/devices/:mac") { request, _ in
            guard devicePageMAC(request.uri.path) != nil else {
                throw APIError(.notFound, "expected /ui/devices/<12 lowercase hex digits>")
            }
            return respond(html, StatusPageHTML.device)
        }
    }

    static func respond(_ contentType: String, _ body: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
