import DHCPv4
import Hummingbird

/// One page of a list endpoint: `limit` (1-5000, default 500) rows with a
/// MAC above `after` (the cursor: the last MAC of the previous page). The
/// answer's `next` is the cursor of the following page, null on the last.
struct Page: Sendable {
    static let defaultLimit = 500
    static let maxLimit = 5000

    var after: MACAddress?
    var limit: Int

    init(after: MACAddress? = nil, limit: Int = Page.defaultLimit) {
        self.after = after
        self.limit = limit
    }

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        limit = Self.defaultLimit
        if let text = query.get("limit") {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw APIError(.badRequest, "expected 1-\(Self.maxLimit)", field: "limit")
            }
            limit = value
        }
        if let text = query.get("after"), !text.isEmpty {
            guard let mac = MACAddress(text) else {
                throw APIError(.badRequest, "expected a MAC like 0c383e07e16c (the `next` of the previous page)", field: "after")
            }
            after = mac
        }
    }

    /// The cursor after `macs` (one page, in order): its last MAC when the
    /// page is full (there may be more), else nil.
    func next(_ macs: [MACAddress]) -> String? {
        macs.count >= limit ? macs.last?.compact : nil
    }
}
