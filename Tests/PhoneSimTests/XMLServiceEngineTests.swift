import DHCPv4
import Testing
@testable import PhoneSim

/// get / set / del semantics (FANVIL.md §4) on a phone's state.
struct XMLServiceEngineTests {
    static func phone(faults: PhoneFaults = PhoneFaults()) -> PhoneState {
        let identity = PhoneIdentity(index: 0, mac: MACAddress("0c383e000001")!, model: "X4", firmware: "2.10.2.6887")
        return PhoneState(identity: identity, faults: faults, settings: PhoneSettings([
            ("sip.line.1.PhoneNumber", "1001"), ("sip.line.1.RegisterAddr", "10.0.0.5"),
            ("sip.line.2.PhoneNumber", "1002"), ("phone.EnablePushXMLAuth", "0"),
        ]))
    }

    static func call(_ command: String, _ items: [String]) -> XMLServiceCall {
        .configuration(command: command, items: items)
    }

    static func dictionary(_ answer: XMLServiceAnswer?) -> [String: String] {
        Dictionary((answer?.items ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test func getAnswersSettingsInfoAndEmptyForUnknown() throws {
        let state = Self.phone()
        let answer = try #require(XMLServiceEngine.answer(Self.call("get", [
            "sip.line.1.PhoneNumber", "no.such.key", " info. dev.Mac ", "info.sip.line.1.registerCode",
        ]), state: state))
        #expect(answer.retCode == 0)
        #expect(answer.items?.map(\.key) == [
            "sip.line.1.PhoneNumber", "no.such.key", "info.dev.Mac", "info.sip.line.1.registerCode",
        ])
        #expect(answer.items?.map(\.value) == ["1001", "", "0c383e000001", "0"])
    }

    @Test func getOfAPrefixAnswersTheSubtreeAndDotAnswersAll() {
        let state = Self.phone()
        let line1 = Self.dictionary(XMLServiceEngine.answer(Self.call("get", ["sip.line.1."]), state: state))
        #expect(line1 == ["sip.line.1.PhoneNumber": "1001", "sip.line.1.RegisterAddr": "10.0.0.5"])
        let all = Self.dictionary(XMLServiceEngine.answer(Self.call("get", ["."]), state: state))
        #expect(all["sip.line.2.PhoneNumber"] == "1002")
        #expect(all["info.dev.Model"] == "X4")
        #expect(all["info.dev.Vendor"] == "Fanvil")
        #expect(all["info.sys.FwVersion"] == "2.10.2.6887")
        #expect(all["info.sip.line.2.registerCode"] == "0")
        let info = Self.dictionary(XMLServiceEngine.answer(Self.call("get", ["info.dev."]), state: state))
        #expect(Set(info.keys) == ["info.dev.Mac", "info.dev.Model", "info.dev.SN", "info.dev.Vendor"])
    }

    @Test func registerCodeIsTheLastStatus() {
        let state = Self.phone()
        state.withLock { $0.registerCodes[1] = 200 }
        let answer = Self.dictionary(XMLServiceEngine.answer(Self.call("get", ["info.sip.line.1.registerCode"]), state: state))
        #expect(answer["info.sip.line.1.registerCode"] == "200")
    }

    @Test func setAppliesInOrderAndReregistersTouchedLines() throws {
        let state = Self.phone()
        let answer = try #require(XMLServiceEngine.answer(Self.call("set", [
            "sip.line.2.RegisterAddr = 10.0.0.6", " phone.date.TimeZone = 4 ", "sip.line.2.RegisterAddr=10.0.0.7",
        ]), state: state))
        #expect(answer.retCode == 0)
        #expect(answer.items == nil)
        #expect(answer.effects == [.reregister(lines: [2])])
        #expect(state.settings["sip.line.2.RegisterAddr"] == "10.0.0.7")
        #expect(state.settings["phone.date.TimeZone"] == "4")
    }

    @Test(arguments: ["info.dev.Mac = 1", " = 1", "noequals"])
    func aBadSetItemStopsWithAnError(bad: String) throws {
        let state = Self.phone()
        let answer = try #require(XMLServiceEngine.answer(Self.call("set", ["a.b = 1", bad, "c.d = 2"]), state: state))
        #expect(answer.retCode != 0)
        #expect(state.settings["a.b"] == "1")
        #expect(state.settings["c.d"] == nil)
    }

    @Test func delRemovesAKeyOrAPrefix() {
        let state = Self.phone()
        #expect(XMLServiceEngine.answer(Self.call("del", ["sip.line.1.RegisterAddr"]), state: state)?.retCode == 0)
        #expect(state.settings["sip.line.1.RegisterAddr"] == nil)
        #expect(state.settings["sip.line.1.PhoneNumber"] == "1001")
        #expect(XMLServiceEngine.answer(Self.call("del", ["sip.line."]), state: state)?.retCode == 0)
        #expect(state.settings.lineNumbers.isEmpty)
        #expect(state.settings["phone.EnablePushXMLAuth"] == "0")
    }

    @Test func executeRebootAsksForAReboot() {
        let answer = XMLServiceEngine.answer(.execute(uris: ["Cmd:Reboot"]), state: Self.phone())
        #expect(answer?.effects == [.reboot])
        #expect(answer?.root == "FanvilPhoneExecute")
    }

    @Test func requestsAreReadLeniently() {
        let body = #"<?xml version="1.0" ?><FanvilConfiguration Beep="no" cmd="SET"><Item> a.b = 1</Item></ FanvilConfiguration >"#
        #expect(XMLServiceCall(parsing: Array(body.utf8)) == .configuration(command: "set", items: [" a.b = 1"]))
        let execute = #"<FanvilPhoneExecute beep="no"><ExecuteItem>URI="Cmd:Reboot"</ExecuteItem></FanvilPhoneExecute>"#
        #expect(XMLServiceCall(parsing: Array(execute.utf8)) == .execute(uris: ["Cmd:Reboot"]))
        #expect(XMLServiceCall(parsing: Array("hello".utf8)) == .unreadable)
    }

    @Test func wrongMACFaultAnswersAnotherMAC() {
        var faults = PhoneFaults()
        faults.wrongMAC = true
        let answer = Self.dictionary(XMLServiceEngine.answer(Self.call("get", ["info.dev.Mac"]), state: Self.phone(faults: faults)))
        #expect(answer["info.dev.Mac"] != "0c383e000001")
        #expect(answer["info.dev.Mac"].flatMap(MACAddress.init) != nil)
    }

    @Test func setFailsFaultAppliesNothing() {
        let state = Self.phone(faults: try! PhoneFaults(parsing: "set-fails"))
        let answer = XMLServiceEngine.answer(Self.call("set", ["a.b = 1"]), state: state)
        #expect(answer?.retCode == XMLServiceEngine.setFailedCode)
        #expect(state.settings["a.b"] == nil)
    }

    @Test func rebootOnPushDropsTheFirstSetOnly() {
        let state = Self.phone(faults: try! PhoneFaults(parsing: "reboot-on-push"))
        #expect(XMLServiceEngine.answer(Self.call("set", ["a.b = 1"]), state: state) == nil)
        #expect(XMLServiceEngine.answer(Self.call("set", ["a.b = 1"]), state: state)?.retCode == 0)
    }

    @Test func faultsParse() throws {
        let faults = try PhoneFaults(parsing: "slow=250,unreachable,wrong-mac,set-fails,malformed,reboot-on-push,wrong-sip-password")
        #expect(faults.slowMilliseconds == 250 && faults.unreachable && faults.wrongMAC && faults.setFails)
        #expect(faults.malformed && faults.rebootOnPush && faults.wrongSIPPassword)
        #expect(throws: PhoneFaults.ParseError.self) { try PhoneFaults(parsing: "explode") }
    }
}
