import DHCPv4
import Foundation
import Rendering
import Store

/// The repository's shipped `Templates/` folder.
let shippedTemplates: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Templates").path
}()

/// A fresh folder for override templates.
func temporaryFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("autoprov-templates-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `text` at `folder/relative`, creating folders.
func write(_ text: String, to folder: String, _ relative: String) throws {
    let url = URL(fileURLWithPath: folder).appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
}

let testMAC = MACAddress("0c:38:3e:07:e1:6c")!

func testDevice(model: String? = "X6") -> Device {
    Device(
        mac: testMAC, label: "Desk 1", model: model, adminUser: "admin", adminPassword: "adm",
        lines: [SIPLine(index: 1, number: "101", password: "s3cret", registrar: "pbx.example")])
}
