extension SIPMessage {
    /// The wire form: CRLF line ends, every header as given except
    /// Content-Length, which is always written once and always true.
    public func serialized() -> [UInt8] {
        var text: String
        switch startLine {
        case let .request(method, uri): text = "\(method) \(uri) SIP/2.0\r\n"
        case let .response(status, reason): text = "SIP/2.0 \(status) \(reason)\r\n"
        }
        for field in headers where SIPHeaders.canonical(field.name) != "content-length" {
            text += "\(field.name): \(field.value)\r\n"
        }
        text += "Content-Length: \(body.count)\r\n\r\n"
        return Array(text.utf8) + body
    }
}
