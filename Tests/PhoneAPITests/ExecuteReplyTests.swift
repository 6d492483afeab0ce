import Testing
@testable import PhoneAPI

@Suite("xmlService replies: FanvilPhoneExecute")
struct ExecuteReplyTests {
    @Test("The CDATA payload under info is the execute output, untrimmed")
    func cdataPayload() throws {
        let parsed = try reply("""
            <?xml version="1.0" encoding="UTF-8" ?>
            < FanvilPhoneExecute >
            <RetCode>0</RetCode>
            <info><len>23</len><![CDATA[uptime: 3 days
             load 0.1 ]]></info>
            </FanvilPhoneExecute>
            """)
        #expect(parsed.root == "FanvilPhoneExecute")
        #expect(parsed.retCode == 0)
        #expect(parsed.executeOutput == "uptime: 3 days\n load 0.1 ")
        #expect(parsed.items.isEmpty)
    }

    @Test("An execute reply without payload has none")
    func noPayload() throws {
        let parsed = try reply("<FanvilPhoneExecute><RetCode>0</RetCode></FanvilPhoneExecute>")
        #expect(parsed.executeOutput == nil)
    }

    @Test("A CDATA payload that looks like markup stays text")
    func markupPayload() throws {
        let parsed = try reply("""
            <FanvilPhoneExecute><info><![CDATA[</ FanvilPhoneExecute ><x a=“b”>]]></info></FanvilPhoneExecute>
            """)
        #expect(parsed.executeOutput == "</ FanvilPhoneExecute ><x a=“b”>")
    }
}
