import DHCPv4
import Foundation
import Store
import Synchronization

/// A file as the phone receives it.
public struct RenderedFile: Sendable, Equatable {
    public var body: String
    public var contentType: String
    /// The template it came from (`device/base.xml.mustache`).
    public var template: String
}

/// Device + context → bytes. Pure apart from reading templates.
///
/// One instance is shared by everything that renders; `reload(settings:)`
/// (SIGHUP) swaps its settings, template folders and vendor profile at once,
/// between two renders.
public final class Renderer: Sendable {
    /// What one render works from, taken whole.
    public struct Snapshot: Sendable {
        public let settings: RenderSettings
        public let library: TemplateLibrary
        public let profile: VendorProfile
        /// Bumped by every reload: part of a rendered file's cache stamp.
        public let revision: Int64
    }

    private let state: Mutex<Snapshot>

    public var snapshot: Snapshot { state.withLock { $0 } }
    public var settings: RenderSettings { snapshot.settings }
    public var library: TemplateLibrary { snapshot.library }
    public var profile: VendorProfile { snapshot.profile }

    public init(settings: RenderSettings) throws(RenderError) {
        state = Mutex(try Self.load(settings, revision: 0))
    }

    /// Re-reads the vendor profile and points at the (new) folders with the
    /// new variables. On error nothing changes.
    public func reload(settings: RenderSettings) throws(RenderError) {
        let next = try Self.load(settings, revision: snapshot.revision + 1)
        state.withLock { $0 = next }
    }

    private static func load(_ settings: RenderSettings, revision: Int64) throws(RenderError) -> Snapshot {
        let folders = ([settings.overrideFolder, settings.shippedFolder] as [String?]).compactMap { $0 }
            .map { $0 + "/" + settings.vendor }
        // The profile is overridden whole: the first folder that has one wins.
        guard let profilePath = folders.map({ $0 + "/profile.yml" }).first(where: { FileManager.default.fileExists(atPath: $0) })
        else { throw .profile(path: folders.map { $0 + "/profile.yml" }.joined(separator: " or "), message: "not found") }
        return Snapshot(
            settings: settings, library: TemplateLibrary(folders: folders), profile: try VendorProfile(path: profilePath),
            revision: revision)
    }

    /// Renders `file` for `device` (in `group`).
    public func render(_ file: PhoneFile, device: Device, group: DeviceGroup?) throws(RenderError) -> RenderedFile {
        let (settings, library) = (snapshot.settings, snapshot.library)
        let variables = VariableResolution.resolve(device: device, group: group, settings: settings)
        try RenderValueCheck.check(device: device, variables: variables)
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
        let missing = MissingValue.names(in: body)
        if !missing.isEmpty {
            throw .missingVariable(template: template.name, variables: missing, device: device.mac.compact)
        }
        return RenderedFile(body: body, contentType: format.httpContentType, template: template.name)
    }
}
