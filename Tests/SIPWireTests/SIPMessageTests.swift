import Testing
@testable import SIPWire

/// The SIP codec: round trips, tolerant parsing, typed errors.
@Suite struct SIPMessageTests {
    static let register = """
        REGISTER sip:10.0.0.1 SIP/2.0\r
        Via: SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bKabc;rport\r
        Max-Forwards: 70\r
        From: "Desk" <sip:1001@10.0.0.1>;tag=f1\r
        To: <sip:1001@10.0.0.1>\r
        Call-ID: c1@10.0.0.7\r
        CSeq: 1 REGISTER\r
        Contact: <sip:1001@10.0.0.7:5060>\r
        Expires: 3600\r
        Content-Length: 0\r
        \r

        """

    @Test func parsesARequest() throws {
        let m = try SIPMessage(parsing: Array(Self.register.utf8))
        #expect(m.startLine == .request(method: "REGISTER", uri: "sip:10.0.0.1"))
        #expect(m.headers["call-id"] == "c1@10.0.0.7")
        #expect(m.headers["i"] == "c1@10.0.0.7")
        #expect(m.cseq?.number == 1 && m.cseq?.method == "REGISTER")
        #expect(m.topViaBranch == "z9hG4bKabc")
        #expect(SIPHeaderValue.uriUser(m.headers["From"]!) == "1001")
        #expect(SIPHeaderValue.parameter("tag", in: m.headers["f"]!) == "f1")
        #expect(m.body.isEmpty)
    }

    @Test func roundTripsRequestAndResponse() throws {
        var headers = SIPHeaders([("Via", "SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1"), ("Call-ID", "x"), ("CSeq", "7 REGISTER")])
        headers.add("Content-Type", "text/plain")
        var request = SIPMessage.request("OPTIONS", uri: "sip:a@b", headers: headers)
        request.body = Array("hello".utf8)
        let parsed = try SIPMessage(parsing: request.serialized())
        #expect(parsed.startLine == request.startLine)
        #expect(parsed.body == request.body)
        #expect(parsed.headers["Content-Length"] == "5")
        #expect(parsed.headers.values("Via") == ["SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1"])

        let response = SIPMessage.response(403, headers: headers)
        let back = try SIPMessage(parsing: response.serialized())
        #expect(back.status == 403)
        #expect(back.startLine == .response(status: 403, reason: "Forbidden"))
        #expect(try back.serialized() == SIPMessage(parsing: back.serialized()).serialized())
    }

    @Test func toleratesSloppyInput() throws {
        // Leading keep-alive CRLFs, bare LF, compact names, odd spacing,
        // a folded header, lowercase method, no Content-Length.
        let text = "\r\n\r\nregister sip:r SIP/2.0\nv : SIP/2.0/UDP h;branch=z9hG4bKq\ni:abc\nf: <sip:7@r>;tag=1\nt: <sip:7@r>\nSubject: one\n two\nl: 3\n\nxyzEXTRA"
        let m = try SIPMessage(parsing: Array(text.utf8))
        #expect(m.method == "REGISTER")
        #expect(m.headers["Call-ID"] == "abc")
        #expect(m.headers["VIA"] == "SIP/2.0/UDP h;branch=z9hG4bKq")
        #expect(m.headers["subject"] == "one two")
        #expect(m.body == Array("xyz".utf8))  // Content-Length cuts the extra bytes

        let noLength = try SIPMessage(parsing: Array("SIP/2.0 200 OK\r\nCall-ID: a\r\n\r\nbody".utf8))
        #expect(noLength.status == 200 && noLength.body == Array("body".utf8))
        let noReason = try SIPMessage(parsing: Array("SIP/2.0 180\r\n\r\n".utf8))
        #expect(noReason.startLine == .response(status: 180, reason: ""))
    }

    @Test func setReplacesAndRemoves() {
        var h = SIPHeaders([("Via", "a"), ("v", "b"), ("To", "t")])
        #expect(h.values("via") == ["a", "b"])
        h.set("Via", "c")
        #expect(h.values("Via") == ["c"] && h.fields.first?.value == "c")
        h.remove("TO")
        #expect(h["t"] == nil && h.count == 1)
    }

    @Test func refusesMalformedInput() {
        func error(_ text: String) -> SIPParseError? {
            do { _ = try SIPMessage(parsing: Array(text.utf8)); return nil } catch { return error }
        }
        #expect(error("\r\n\r\n") == .empty)
        #expect(error("HELLO\r\n\r\n") == .badStartLine("HELLO"))
        #expect(error("SIP/2.0 99 Low\r\n\r\n") == .badStartLine("SIP/2.0 99 Low"))
        #expect(error("REGISTER sip:x HTTP/1.1\r\n\r\n") == .badStartLine("REGISTER sip:x HTTP/1.1"))
        #expect(error("REGISTER sip:x SIP/2.0\r\nNoColon\r\n\r\n") == .badHeader("NoColon"))
        #expect(error("REGISTER sip:x SIP/2.0\r\nCall-ID: a") == .unterminatedHeaders)
        #expect(error("SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n") == .badContentLength("-1"))
        #expect(error("SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nabc") == .truncatedBody(expected: 10, actual: 3))
        let many = "SIP/2.0 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 200) + "\r\n"
        #expect(error(many) == .tooManyHeaders)
        #expect(error(String(repeating: "a", count: SIPMessage.maximumSize + 1)) == .tooLarge(SIPMessage.maximumSize + 1))
        #expect(throws: SIPParseError.notText) { try SIPMessage(parsing: Array("SIP/2.0 200 OK\r\nX: ".utf8) + [0xFF, 0xFE] + Array("\r\n\r\n".utf8)) }
    }

    @Test func readsHeaderValues() {
        #expect(SIPHeaderValue.splitList("SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b;branch=2") == ["SIP/2.0/UDP a;branch=1", "SIP/2.0/UDP b;branch=2"])
        #expect(SIPHeaderValue.splitList("\"Doe, John\" <sip:1@h>, <sip:2@h>") == ["\"Doe, John\" <sip:1@h>", "<sip:2@h>"])
        #expect(SIPHeaderValue.uriUser("\"A\" <sip:1001@10.0.0.1:5060;transport=udp>;tag=9") == "1001")
        #expect(SIPHeaderValue.uriUser("sip:1002:pw@h;tag=1") == "1002")
        #expect(SIPHeaderValue.uriUser("<sip:10.0.0.1>") == nil)
        #expect(SIPHeaderValue.parameter("expires", in: "<sip:a@b;expires=1>;expires=60") == "60")
        #expect(SIPHeaderValue.parameter("rport", in: "SIP/2.0/UDP h:1;rport;branch=z") == "")
        #expect(SIPHeaderValue.parameter("received", in: "SIP/2.0/UDP h:1;rport") == nil)
        #expect(SIPHeaderValue.uri("<sip:1@h;lr>;expires=5") == "sip:1@h;lr")
    }
}
