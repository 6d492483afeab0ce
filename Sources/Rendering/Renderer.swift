import DHCPv4
import Foundation
import Store

/// A file as the phone receives it.
public struct RenderedFile: Sendable, Equatable {
    public var body: String
    public var contentType: String
    /// The template it came from (`device/base.xml.mustache`).
    public var template: String
}

/// Device + context → bytes. Pure apart from reading templates.
public struct Renderer: Sendable {
    public let settings: RenderSettings
    public let library: TemplateLibrary
    public let profile: VendorProfile

    public init(settings: RenderSettings) throws(RenderError) {
        self.settings = settings
        let folders = ([settings.overrideFolder, settings.shippedFolder] as [String?]).compactMap { $0 }
            .map { $0 + "/" + settings.vendor }
        library = TemplateLibrary(folders: folders)
        // The profile is overridden whole: the first folder that has one wins.
        guard let profilePath = folders.map({ $0 + "/profile.yml" }).first(where: { FileManager.default.fileExists(atPath: $0) })
        else { throw .profile(path: folders.map { $0 + "/profile.yml" }.joined(separator: " or "), message: "not found") }
        profile = try VendorProfile(path: profilePath)
    }

    /// Renders `file` for `device` (in `group`).
    public func render(_ file: PhoneFile, device: Device, group: DeviceGroup?) throws(RenderError) -> RenderedFile {
        let variables = VariableResolution.resolve(device: device, group: group, settings: settings)
        let format: OutputFormat
        switch file {
        case .firmware(let model, _):
            guard variables["firmware_url"] != nil else { throw .noFirmware(model: model, device: device.mac.compact) }
            format = .txt
        case .device, .common:
            format = variables["config_format"] == "text" ? .cfg : .xml
        }
        let candidates = [device.mac.compact, device.model, "base"].compactMap { $0 }
        let template = try library.template(kind: file.kind, format: format, candidates: candidates)
        let body = template.parsed.render(RenderContext(device: device, variables: variables))
        let missing = Self.missingNames(in: body)
        if !missing.isEmpty {
            throw .missingVariable(template: template.name, variables: missing, device: device.mac.compact)
        }
        return RenderedFile(body: body, contentType: format.httpContentType, template: template.name)
    }

    /// Names marked by `MissingValue` in rendered text, in order, once each.
    static func missingNames(in body: String) -> [String] {
        guard body.utf8.contains(1) else { return [] }
        var names: [String] = []
        var rest = body[...]
        while let start = rest.range(of: MissingValue.open) {
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: MissingValue.close) else { break }
            let name = String(rest[..<end.lowerBound])
            if !names.contains(name) { names.append(name) }
            rest = rest[end.upperBound...]
        }
        return names
    }
}
