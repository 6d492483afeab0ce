import AutoprovConfig
import ArgumentParser
import Foundation
import Rendering
import Store

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Print exactly what a phone would receive for one of its files.")
    @Argument(help: "The phone's MAC address.") var mac: String
    @Argument(help: "The file name (default <mac>.cfg).") var file: String?
    @OptionGroup var options: ConfigOption

    func run() throws {
        let mac = try parseMAC(mac)
        let settings = try loadSettings(options)
        let renderer = try makeRenderer(settings)
        let store = try openInventory(settings)
        guard let device = try store.device(mac) else {
            printError("device \(mac.compact) not found")
            throw ExitCode(1)
        }
        let name = file ?? "\(mac.compact).cfg"
        guard case .file(let phoneFile) = PhoneFile.recognise(name, profile: renderer.profile) else {
            printError("\(name) is not a file phones ask for (<mac>.cfg, a common file of profile.yml, or a firmware check file)")
            throw ExitCode(1)
        }
        do {
            let rendered = try renderer.render(phoneFile, device: device, group: try store.group(device.group))
            FileHandle.standardOutput.write(Data(rendered.body.utf8))
        } catch let error as RenderError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

struct CheckTemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-templates",
        abstract: "Render every device's file and its model's common file; list every error. Exit 1 if any.")
    @OptionGroup var options: ConfigOption

    func run() throws {
        let settings = try loadSettings(options)
        let renderer = try makeRenderer(settings)
        let store = try openInventory(settings)
        var errors = 0, rendered = 0
        for device in try store.devices(group: nil, state: nil) {
            let group = try store.group(device.group)
            var files: [PhoneFile] = [.device(device.mac)]
            if let model = device.model, let common = renderer.profile.models.first(where: { $0.name == model })?.commonFile {
                files.append(.common(model: model, name: common))
            }
            for file in files {
                do {
                    _ = try renderer.render(file, device: device, group: group)
                    rendered += 1
                } catch {
                    errors += 1
                    print("\(device.mac.compact) \(file): \(error.description)")
                }
            }
        }
        print("\(rendered) file(s) rendered, \(errors) error(s)")
        if errors > 0 { throw ExitCode(1) }
    }
}
