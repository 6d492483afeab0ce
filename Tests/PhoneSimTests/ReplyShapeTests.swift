import PhoneAPI
import Testing
@testable import PhoneSim

/// Every reply spelling the fleet uses is read by autoprov's own parser.
struct ReplyShapeTests {
    static let items: [(key: String, value: String)] = [
        ("info.dev.Mac", "0c383e000001"), ("sip.line.1.RegisterPswd", "a<b&c=d"), ("no.such", ""),
    ]

    @Test(arguments: ReplyShape.allCases)
    func getRepliesParseWithPhoneAPI(shape: ReplyShape) throws {
        let body = shape.render(XMLServiceAnswer(retCode: 0, items: Self.items))
        let reply = try XMLServiceReply(parsing: Array(body.utf8))
        #expect(reply.root == "FanvilConfiguration")
        #expect(reply.retCode == (shape == .noRetCodeOnGet ? nil : 0))
        #expect(reply.keys == Self.items.map(\.key))
        #expect(reply.items.map(\.value) == Self.items.map(\.value))
        #expect(reply.value(for: "info.dev.Mac") == "0c383e000001")
    }

    @Test(arguments: ReplyShape.allCases)
    func setRepliesCarryTheRetCode(shape: ReplyShape) throws {
        let body = shape.render(XMLServiceAnswer(retCode: 1))
        let reply = try XMLServiceReply(parsing: Array(body.utf8))
        #expect(reply.retCode == 1)
        #expect(reply.items.isEmpty)
    }

    @Test func shapesDiffer() {
        let bodies = ReplyShape.allCases.map { $0.render(XMLServiceAnswer(retCode: 0, items: Self.items)) }
        #expect(Set(bodies).count == 4)
        #expect(bodies[1].contains("<Info>"))
        #expect(bodies[2].contains("</ FanvilConfiguration >") && bodies[2].contains("info. dev.Mac"))
        #expect(!bodies[3].contains("RetCode"))
    }
}
