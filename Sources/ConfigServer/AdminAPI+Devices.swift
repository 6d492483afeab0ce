import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Rendering
import Store

extension AdminAPI {
    func addDeviceRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("devices") { request, _ -> DeviceList in
            let query = request.uri.queryParameters
            var state: DeviceState?
            if let text = query.get("state") {
                guard let parsed = DeviceState(rawValue: text) else {
                    throw APIError(.badRequest, "expected one of \(DeviceState.allCases.map(\.rawValue).joined(separator: ", "))", field: "state")
                }
                state = parsed
            }
            let page = try Page(request)
            let devices = try Self.store {
                try inventory.devices(group: query.get("group"), state: state, after: page.after, limit: page.limit)
            }
            return DeviceList(devices: devices.map(DeviceJSON.init), next: page.next(devices.map(\.mac)))
        }
        api.post("devices") { request, _ -> EditedResponse<DeviceJSON> in
            let input = try await Self.decode(DeviceInput.self, request)
            guard let mac = MACAddress(input.mac), mac.value != 0 else {
                throw APIError(.badRequest, "expected a MAC like 0c383e07e16c", field: "mac")
            }
            let device = Device(
                mac: mac, label: input.label ?? "", model: input.model, group: input.group ?? DeviceGroup.defaultName,
                adminUser: input.admin_user, adminPassword: input.admin_password, variables: input.variables ?? [:],
                lines: (input.lines ?? []).map(\.line))
            try Self.store { try inventory.insert(device, now: now()) }
            let stored = try Self.store { try inventory.device(mac) }
            return EditedResponse(status: .created, response: DeviceJSON(stored ?? device))
        }
        api.get("devices/export") { _, _ -> Response in
            let csv = DeviceCSV.export(try Self.store { try inventory.devices(group: nil, state: nil) })
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: csv)))
        }
        api.get("devices/:mac") { _, context -> DeviceJSON in
            let mac = try Self.mac(context)
            guard let device = try Self.store({ try inventory.device(mac) }) else {
                throw APIError(.notFound, "device \(mac.compact) not found")
            }
            return DeviceJSON(device)
        }
        api.patch("devices/:mac") { request, context -> DeviceJSON in
            let mac = try Self.mac(context)
            let patch = try await Self.decode(DevicePatch.self, request)
            let device = try Self.store {
                try inventory.update(mac, now: now()) { device in
                    if let label = patch.label { device.label = label }
                    if let model = patch.model { device.model = model }
                    if let group = patch.group { device.group = group }
                    if let user = patch.admin_user { device.adminUser = user }
                    if let password = patch.admin_password { device.adminPassword = password }
                    for (name, value) in patch.variables ?? [:] { device.variables[name] = value }
                    if let lines = patch.lines { device.lines = lines.map(\.line) }
                }
            }
            return DeviceJSON(device)
        }
        api.delete("devices/:mac") { _, context -> Response in
            let mac = try Self.mac(context)
            guard try Self.store({ try inventory.delete(mac) }) else { throw APIError(.notFound, "device \(mac.compact) not found") }
            return Response(status: .noContent)
        }
        api.get("devices/:mac/events") { request, context -> EventList in
            let mac = try Self.mac(context)
            let limitText = request.uri.queryParameters.get("limit") ?? "100"
            guard let limit = Int(limitText), (1...1000).contains(limit) else {
                throw APIError(.badRequest, "expected 1-1000", field: "limit")
            }
            guard try Self.store({ try inventory.device(mac) }) != nil else {
                throw APIError(.notFound, "device \(mac.compact) not found")
            }
            return EventList(events: try Self.store { try inventory.events(for: mac, limit: limit) }.map(EventJSON.init))
        }
        api.get("devices/:mac/render") { request, context -> Response in
            let mac = try Self.mac(context)
            guard let device = try Self.store({ try inventory.device(mac) }) else {
                throw APIError(.notFound, "device \(mac.compact) not found")
            }
            let name = request.uri.queryParameters.get("file") ?? "\(mac.compact).cfg"
            guard case .file(let file) = PhoneFile.recognise(name, profile: renderer.profile) else {
                throw APIError(.badRequest, "not a file phones ask for", field: "file")
            }
            let group = try Self.store { try inventory.group(device.group) }
            do {
                let rendered = try renderer.render(file, device: device, group: group)
                return Response(
                    status: .ok, headers: [.contentType: rendered.contentType],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: rendered.body)))
            } catch let error as RenderError {
                throw APIError(.unprocessableContent, error.description)
            }
        }
    }
}
