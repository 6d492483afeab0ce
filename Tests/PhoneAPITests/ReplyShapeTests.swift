import Testing
@testable import PhoneAPI

/// Well-formed replies and the quirky shapes of FANVIL.md §4, as the vendor
/// guide prints them.
@Suite("xmlService replies: shapes from the vendor guide")
struct ReplyShapeTests {
    @Test("A well-formed get reply: RetCode 0 and items in order")
    func wellFormedGet() throws {
        let parsed = try reply("""
            <?xml version="1.0" encoding="UTF-8" ?>
            <FanvilConfiguration cmd="get">
            <RetCode>0</RetCode>
            <info>
            <Item>info.dev.Model = X6U</Item>
            <Item>info.dev.Mac = 0c383e07e16c</Item>
            <Item>sip.line.1.RegisterAddr = 172.16.1.3</Item>
            </info>
            </FanvilConfiguration>
            """)
        #expect(parsed.root == "FanvilConfiguration")
        #expect(parsed.retCode == 0)
        #expect(pairs(parsed) == [
            "info.dev.Model=X6U", "info.dev.Mac=0c383e07e16c", "sip.line.1.RegisterAddr=172.16.1.3",
        ])
        #expect(parsed.value(for: "info.dev.Mac") == "0c383e07e16c")
        #expect(parsed.value(for: "info. dev.Mac") == "0c383e07e16c")
        #expect(parsed.value(for: "info.dev.SN") == nil)
        #expect(parsed.executeOutput == nil)
    }

    @Test("The guide's set reply: RetCode 0 with `</ FanvilConfiguration>`")
    func guideSetReply() throws {
        let parsed = try reply("""
            <?xml version="1.0" encoding="UTF-8" ?>
            <FanvilConfiguration cmd=”set”>
            <RetCode>0</RetCode>
            </ FanvilConfiguration>
            """)
        #expect(parsed.retCode == 0)
        #expect(parsed.retCodeText == "0")
        #expect(parsed.items.isEmpty)
    }

    @Test("`< FanvilPhoneExecute >` and `</ FanvilConfiguration >` are repaired", arguments: [
        "< FanvilConfiguration cmd=\"get\" ><RetCode>3</RetCode><info><Item>a = 1</Item></info></ FanvilConfiguration >",
        "<FanvilConfiguration cmd=\"get\"><RetCode>3</RetCode><Info><Item>a = 1</Item></Info></ FanvilConfiguration >",
        "<\tFanvilConfiguration><RetCode> 3 </RetCode><info><Item>a=1</Item></info></  FanvilConfiguration>",
    ])
    func spacedTagNames(_ text: String) throws {
        let parsed = try reply(text)
        #expect(parsed.root == "FanvilConfiguration")
        #expect(parsed.retCode == 3)
        #expect(pairs(parsed) == ["a=1"])
    }

    @Test("Missing RetCode is nil, not 0")
    func missingRetCode() throws {
        let parsed = try reply("""
            <FanvilConfiguration cmd="get"><info><Item>info.dev.Model = X4</Item></info></FanvilConfiguration>
            """)
        #expect(parsed.retCode == nil)
        #expect(parsed.retCodeText == nil)
        #expect(pairs(parsed) == ["info.dev.Model=X4"])
    }

    @Test("A RetCode that is not a number: nil, the text kept")
    func textualRetCode() throws {
        let parsed = try reply("<FanvilConfiguration><RetCode> err </RetCode></FanvilConfiguration>")
        #expect(parsed.retCode == nil)
        #expect(parsed.retCodeText == "err")
    }

    @Test("`info` and `Info` are both read; Items outside them are not")
    func infoSpellings() throws {
        let parsed = try reply("""
            <FanvilConfiguration><RetCode>0</RetCode>
            <Info><Item>a = 1</Item></Info><info><Item>b = 2</Item></info>
            <Item>outside = 3</Item>
            </FanvilConfiguration>
            """)
        #expect(pairs(parsed) == ["a=1", "b=2"])
    }

    @Test("Spaces inside keys and around `=`; values trimmed; split at the first `=`")
    func keyNormalisation() throws {
        let parsed = try reply("""
            <FanvilConfiguration><RetCode>0</RetCode><info>
            <Item>info. dev.Model = X6</Item>
            <Item>  info.sys.FwVersion=2.10.2.6887  </Item>
            <Item>sip.line.1.RegisterPswd =  a=b c= </Item>
            <Item>
              info.sip.line.1.registerCode
                = 200
            </Item>
            </info></FanvilConfiguration>
            """)
        #expect(pairs(parsed) == [
            "info.dev.Model=X6", "info.sys.FwVersion=2.10.2.6887", "sip.line.1.RegisterPswd=a=b c=",
            "info.sip.line.1.registerCode=200",
        ])
    }

    @Test("Bad keys come back with empty values; the others are still answered")
    func badKeys() throws {
        let parsed = try reply("""
            <FanvilConfiguration><RetCode>0</RetCode><info>
            <Item>info.dev.Model = X6</Item><Item>no.such.key = </Item><Item>other.bad</Item>
            <Item>info.dev.Mac = 00a859c60102</Item><Item></Item><Item> = orphan</Item>
            </info></FanvilConfiguration>
            """)
        #expect(pairs(parsed) == [
            "info.dev.Model=X6", "no.such.key=", "other.bad=", "info.dev.Mac=00a859c60102",
        ])
        #expect(parsed.value(for: "no.such.key") == "")
    }

    @Test("Curly quotes around attribute values, even with no space between them")
    func curlyQuotes() throws {
        let parsed = try reply("""
            <?xml version="1.0" encoding="UTF-8" ?>
            <FanvilConfiguration Beep=“yes”cmd=”get” >
            <RetCode>0</RetCode><info><Item>a = “quoted” text</Item></info>
            </FanvilConfiguration>
            """)
        #expect(parsed.retCode == 0)
        #expect(pairs(parsed) == ["a=“quoted” text"])
    }

    @Test("Escaped text and CDATA in items are read as text")
    func escapedText() throws {
        let parsed = try reply("""
            <FanvilConfiguration><info><Item>a = x &amp; y &lt;z&gt; &#65;</Item>\
            <Item>b = <![CDATA[<raw>]]></Item></info></FanvilConfiguration>
            """)
        #expect(pairs(parsed) == ["a=x & y <z> A", "b=<raw>"])
    }
}
