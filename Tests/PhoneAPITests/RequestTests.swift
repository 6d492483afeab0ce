import Testing
@testable import PhoneAPI

@Suite("xmlService requests")
struct RequestTests {
    @Test("get: one Item per key, in order")
    func get() throws {
        let request = try XMLServiceRequest.get(["info.dev.Mac", "sip.line.1.", "."])
        #expect(request.command == .get)
        #expect(request.body == """
            <?xml version="1.0" encoding="UTF-8" ?>
            <FanvilConfiguration Beep="no" cmd="get">
            <Item>info.dev.Mac</Item>
            <Item>sip.line.1.</Item>
            <Item>.</Item>
            </FanvilConfiguration>

            """)
    }

    @Test("set: `key = value`, values escaped, `=` kept in values, Beep on request")
    func set() throws {
        let request = try XMLServiceRequest.set(
            [("sip.line.1.RegisterAddr", "172.16.1.3"), ("sip.line.1.RegisterPswd", "a&b<c>=\"d'")],
            beep: true
        )
        #expect(request.command == .set)
        #expect(request.body == """
            <?xml version="1.0" encoding="UTF-8" ?>
            <FanvilConfiguration Beep="yes" cmd="set">
            <Item>sip.line.1.RegisterAddr = 172.16.1.3</Item>
            <Item>sip.line.1.RegisterPswd = a&amp;b&lt;c&gt;="d'</Item>
            </FanvilConfiguration>

            """)
    }

    @Test("del: keys as items")
    func del() throws {
        let request = try XMLServiceRequest.del(["mmifilter.1", "mmifilter."])
        #expect(request.command == .del)
        #expect(request.body.contains("<FanvilConfiguration Beep=\"no\" cmd=\"del\">\n"))
        #expect(request.body.contains("<Item>mmifilter.1</Item>\n<Item>mmifilter.</Item>\n"))
    }

    @Test("execute: the URI inside the ExecuteItem text")
    func execute() throws {
        let request = try XMLServiceRequest.execute("Dial:100&200")
        #expect(request.command == .execute)
        #expect(request.body == """
            <?xml version="1.0" encoding="UTF-8" ?>
            <FanvilPhoneExecute beep="no">
            <ExecuteItem>URI="Dial:100&amp;200"</ExecuteItem>
            </FanvilPhoneExecute>

            """)
    }

    @Test("A set request reads back through the reply parser")
    func roundTrip() throws {
        let request = try XMLServiceRequest.set([("a.b", " x & y = z ")])
        let item = try #require(request.body.split(separator: "\n").first { $0.hasPrefix("<Item>") })
        let parsed = try reply("<FanvilConfiguration><info>\(item)</info></FanvilConfiguration>")
        #expect(pairs(parsed) == ["a.b=x & y = z"])
    }

    @Test("Refused keys", arguments: ["", "a b", "a=b", "a\nb", "a\u{0}", " a", "a\u{00A0}b"])
    func badKeys(_ key: String) {
        #expect(throws: XMLServiceRequestError.invalidKey(key)) { try XMLServiceRequest.get([key]) }
        #expect(throws: XMLServiceRequestError.invalidKey(key)) { try XMLServiceRequest.set([(key, "1")]) }
        #expect(throws: XMLServiceRequestError.invalidKey(key)) { try XMLServiceRequest.del([key]) }
    }

    @Test("A value with a control character is refused without showing it")
    func badValue() {
        #expect(throws: XMLServiceRequestError.invalidValue(key: "web.account.1.Password")) {
            try XMLServiceRequest.set([("web.account.1.Password", "secret\nline")])
        }
        #expect(!XMLServiceRequestError.invalidValue(key: "k").description.contains("secret"))
    }

    @Test("No items, bad URIs")
    func emptyAndURIs() {
        #expect(throws: XMLServiceRequestError.noItems(command: "get")) { try XMLServiceRequest.get([]) }
        #expect(throws: XMLServiceRequestError.noItems(command: "set")) { try XMLServiceRequest.set([]) }
        for uri in ["", "Shell:echo \"x\"", "Key:F1\r\n"] {
            #expect(throws: XMLServiceRequestError.invalidURI) { try XMLServiceRequest.execute(uri) }
        }
    }
}
