import Testing
@testable import PhoneAPI

/// The pre-pass alone: exactly the shapes it repairs, and what it leaves.
@Suite("XMLReplyRepair")
struct ReplyRepairTests {
    private func repaired(_ text: String) -> String {
        String(decoding: XMLReplyRepair.repair(Array(text.utf8)), as: UTF8.self)
    }

    @Test("Repairs", arguments: [
        ("</ FanvilConfiguration >", "</FanvilConfiguration >"),
        ("< FanvilPhoneExecute >", "<FanvilPhoneExecute >"),
        ("<  info>", "<info>"),
        ("</\tItem>", "</Item>"),
        ("<FanvilConfiguration Beep=“yes” cmd=”set” >", "<FanvilConfiguration Beep=\"yes\" cmd=\"set\" >"),
        ("<FanvilConfiguration Beep=“yes”cmd=”set”>", "<FanvilConfiguration Beep=\"yes\" cmd=\"set\">"),
        ("<a b=\"1\"c=\"2\">", "<a b=\"1\" c=\"2\">"),
        ("<a b=“1\">", "<a b=\"1\">"),
        ("<a b=“", "<a b=\""),
    ])
    func repairs(_ input: String, _ expected: String) {
        #expect(repaired(input) == expected)
    }

    @Test("Leaves alone", arguments: [
        "<FanvilConfiguration cmd=\"get\"><Item>a = 1</Item></FanvilConfiguration>",
        "<Item>a < b</Item>",
        "<Item>x < unknown></Item>",
        "<Item>“text” quotes</Item>",
        "<a title=\"a “b” c\">",
        "<a title='it”s'>",
        "<!-- < FanvilConfiguration a=“b” -->",
        "<![CDATA[< FanvilConfiguration a=“b”>]]>",
        "<?xml version=\"1.0\" ?>",
        "<!DOCTYPE x [<!ENTITY e \"“v”\">]>",
        "", "<", "</", "< ", "<!--", "<![CDATA[",
    ])
    func leavesAlone(_ input: String) {
        #expect(repaired(input) == input)
    }
}
