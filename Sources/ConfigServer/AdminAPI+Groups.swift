import HTTPTypes
import Hummingbird
import Store

extension AdminAPI {
    func addGroupRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("groups") { _, _ -> GroupList in
            GroupList(groups: try Self.store { try inventory.groups() }.map { GroupJSON(name: $0.name, variables: $0.variables) })
        }
        api.post("groups") { request, _ -> EditedResponse<GroupJSON> in
            let input = try await Self.decode(GroupInput.self, request)
            let group = DeviceGroup(name: input.name, variables: input.variables ?? [:])
            try Self.store { try inventory.insert(group, now: now()) }
            return EditedResponse(status: .created, response: GroupJSON(name: group.name, variables: group.variables))
        }
        api.get("groups/:name") { _, context -> GroupJSON in
            let name = context.parameters.get("name") ?? ""
            guard let group = try Self.store({ try inventory.group(name) }) else { throw APIError(.notFound, "group \(name) not found") }
            return GroupJSON(name: group.name, variables: group.variables)
        }
        api.patch("groups/:name") { request, context -> GroupJSON in
            let name = context.parameters.get("name") ?? ""
            let patch = try await Self.decode(GroupPatch.self, request)
            let group = try Self.store {
                try inventory.update(group: name, now: now()) { group in
                    for (key, value) in patch.variables ?? [:] { group.variables[key] = value }
                }
            }
            return GroupJSON(name: group.name, variables: group.variables)
        }
        api.delete("groups/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard try Self.store({ try inventory.delete(group: name) }) else { throw APIError(.notFound, "group \(name) not found") }
            return Response(status: .noContent)
        }
    }
}
