/// Reply helpers: parse a string as the phone's body, and compare items.
@testable import PhoneAPI

func reply(_ text: String) throws(XMLServiceReplyError) -> XMLServiceReply {
    try XMLServiceReply(parsing: Array(text.utf8))
}

/// Items as "key=value" strings, to compare whole lists with `#expect(==)`.
func pairs(_ reply: XMLServiceReply) -> [String] {
    reply.items.map { "\($0.key)=\($0.value)" }
}
