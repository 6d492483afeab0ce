import CLibXML2
import Testing
@testable import PhoneAPI

/// Outside input: nothing crashes, nothing is fetched or expanded.
@Suite("xmlService replies: garbage and hostile input")
struct ReplySafetyTests {
    @Test("Empty input is an error")
    func empty() {
        #expect(throws: XMLServiceReplyError.empty) { try reply("") }
    }

    @Test("Input with no root element is an error or an empty reply, never a crash", arguments: [
        "garbage", "   \n", "<", "</", "< ", "<<<>>>", "<?xml version=\"1.0\"?>", "<!-- only -->",
        "\u{0}\u{1}\u{2}", "<![CDATA[x]]>", "</ FanvilConfiguration >", "“”", "<a b=“", "<a b=\"",
        "<FanvilConfiguration", "<FanvilConfiguration><info><Item>a = 1", "\u{FEFF}", "<!DOCTYPE x [",
    ])
    func garbage(_ text: String) {
        do {
            let parsed = try reply(text)
            #expect(parsed.retCode == nil)
            #expect(parsed.items.count <= 1)
        } catch {
            #expect(error == .notXML || error == .empty)
        }
    }

    @Test("Invalid UTF-8 bytes do not crash")
    func invalidUTF8() throws {
        let body: [UInt8] = Array("<FanvilConfiguration><info><Item>a = ".utf8) + [0xFF, 0xC3, 0xE2, 0x80]
            + Array("</Item></info></FanvilConfiguration>".utf8)
        _ = try? XMLServiceReply(parsing: body)
    }

    @Test("A body over the size limit is refused before parsing")
    func tooLarge() {
        let body = [UInt8](repeating: UInt8(ascii: " "), count: XMLServiceReply.maximumReplySize + 1)
        #expect(throws: XMLServiceReplyError.tooLarge(
            size: XMLServiceReply.maximumReplySize + 1, limit: XMLServiceReply.maximumReplySize
        )) { try XMLServiceReply(parsing: body) }
    }

    @Test("The parse options: recover, no network, silent; no entity substitution, no DTD loading")
    func options() {
        let options = XMLServiceReply.parseOptions
        for wanted in [XML_PARSE_RECOVER, XML_PARSE_NONET, XML_PARSE_NOERROR, XML_PARSE_NOWARNING] {
            #expect(options & Int32(wanted.rawValue) != 0)
        }
        for refused in [XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_DTDVALID,
                        XML_PARSE_XINCLUDE, XML_PARSE_HUGE] {
            #expect(options & Int32(refused.rawValue) == 0)
        }
    }

    @Test("An external entity (XXE) is not expanded", arguments: [
        "SYSTEM \"file:///etc/passwd\"", "SYSTEM \"/etc/passwd\"", "PUBLIC \"-//x//y\" \"file:///etc/hostname\"",
    ])
    func externalEntity(_ declaration: String) throws {
        let parsed = try reply("""
            <?xml version="1.0"?>
            <!DOCTYPE FanvilConfiguration [<!ENTITY e \(declaration)>]>
            <FanvilConfiguration><RetCode>0</RetCode>
            <info><Item>info.dev.Model = X&e;Y</Item></info></FanvilConfiguration>
            """)
        #expect(parsed.value(for: "info.dev.Model") == "XY")
        #expect(!pairs(parsed).joined().contains("root:"))
    }

    @Test("A parameter entity pulling an external DTD is not loaded")
    func externalParameterEntity() throws {
        let parsed = try reply("""
            <!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
            <FanvilConfiguration><info><Item>a = 1</Item></info></FanvilConfiguration>
            """)
        #expect(pairs(parsed) == ["a=1"])
    }

    @Test("Billion laughs does not blow up; the reference is not expanded")
    func billionLaughs() throws {
        var declarations = "<!ENTITY l0 \"ha\">"
        for level in 1...10 {
            declarations += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let text = "<!DOCTYPE x [\(declarations)]>"
            + "<FanvilConfiguration><info><Item>a = &l10;</Item><Item>b = 2</Item></info></FanvilConfiguration>"
        let parsed = try? reply(text)
        if let parsed {
            #expect(pairs(parsed).joined().utf8.count < 1000)
        }
    }

    @Test("A deep nest of elements does not overflow the stack")
    func deepNesting() {
        let depth = 100_000
        let text = String(repeating: "<info>", count: depth) + "<Item>a = 1</Item>"
            + String(repeating: "</info>", count: depth)
        let parsed = try? reply(text)
        #expect((parsed?.items.count ?? 0) <= 1)
    }
}
