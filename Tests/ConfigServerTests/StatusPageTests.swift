import ConfigServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The status page's files on the admin listener: served without the token
/// (they hold no data), with a strict policy; nothing else is.
@Suite struct StatusPageTests {
    let token = String(repeating: "ab", count: 32)

    @Test(arguments: [
        ("/ui/", "text/html"), ("/ui", "text/html"), ("/ui/devices/0c383e000001", "text/html"),
        ("/ui/style.css", "text/css"), ("/ui/common.js", "text/javascript"), ("/ui/list.js", "text/javascript"),
        ("/ui/device.js", "text/javascript"),
    ])
    func thePagesAreServedWithoutTheTokenAndAStrictPolicy(uri: String, type: String) async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix(type) == true)
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("form-action 'none'"))
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(!String(buffer: response.body).isEmpty)
        }
    }

    @Test func theRootLeadsToThePage() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .found && response.headers[.location] == "/ui/")
        }
    }

    @Test(arguments: [
        ("/ui/nothing", HTTPRequest.Method.get), ("/ui/devices/0C383E000001", .get), ("/ui/devices/0c383e00000", .get),
        ("/ui/devices/0c383e000001/x", .get), ("/ui/../api/v1/devices", .get), ("/ui/%2e%2e/api/v1/devices", .get),
        ("/ui/", .post), ("/ui/list.js", .put), ("/", .post),
    ])
    func anythingElseNeedsTheToken(uri: String, method: HTTPRequest.Method) async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(uri: uri, method: method)
            #expect(response.status == .unauthorized, "\(method) \(uri)")
        }
    }

    @Test func thePagesHoldNoDataAndNeverHandleTheTokenUnsafely() async throws {
        let h = try Harness()
        try h.addPhone()
        try await h.adminApp(token: token).test(.live) { client in
            var scripts = ""
            for uri in ["/ui/common.js", "/ui/list.js", "/ui/device.js"] {
                scripts += String(buffer: try await client.execute(uri: uri, method: .get).body)
            }
            for unsafe in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "localStorage", "document.cookie", "?token"] {
                #expect(!scripts.contains(unsafe), "\(unsafe)")
            }
            #expect(scripts.contains("sessionStorage") && scripts.contains("'Authorization': 'Bearer '"))
            let page = String(buffer: try await client.execute(uri: "/ui/", method: .get).body)
            #expect(!page.contains("0c383e07e16c") && !page.contains("Desk 1"), "no device in the page itself")
            #expect(!page.contains("<script>"), "no inline script")
            // The token input has no name: a form submission could not carry it.
            let input = try #require(page.range(of: "<input id=\"token\"[^>]*>", options: .regularExpression).map { String(page[$0]) })
            #expect(!input.contains("name="))
        }
    }
}
