import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A JSON error of the admin API: `{"error": ..., "field"?, "line"?, "column"?}`.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var body: Body
    var headers: HTTPFields

    struct Body: Encodable {
        var error: String
        var field: String?
        var line: Int?
        var column: Int?
    }

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, line: Int? = nil, column: Int? = nil,
         headers: HTTPFields = [:]) {
        self.status = status
        self.body = Body(error: message, field: field, line: line, column: column)
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
