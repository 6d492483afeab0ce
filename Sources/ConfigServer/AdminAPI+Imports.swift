import Hummingbird
import Store

/// CSV imports: `POST /api/v1/imports` answers 202 at once and the import
/// runs in the `ImportQueue` service; `GET /api/v1/imports/{id}` follows it.
/// `POST /api/v1/devices/import` keeps its synchronous answer (200 with the
/// count, or 400 with line and column) but runs on the same queue's rules
/// (one at a time, off the listener's threads).
extension AdminAPI {
    func addImportRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.post("imports") { request, _ -> EditedResponse<ImportStatus> in
            let csv = try await Self.csvBody(request)
            let status: ImportStatus
            do {
                status = try imports.submit(csv: csv)
            } catch let error as ImportQueue.Busy {
                throw Self.busy(error)
            }
            return EditedResponse(status: .accepted, headers: [.location: "/api/v1/imports/\(status.id)"], response: status)
        }
        api.get("imports/:id") { _, context -> ImportStatus in
            let id = context.parameters.get("id") ?? ""
            guard let status = imports.status(id) else { throw APIError(.notFound, "import \(id) not found (only the last 16 are kept)") }
            return status
        }
        api.post("devices/import") { request, _ -> ImportResult in
            let csv = try await Self.csvBody(request)
            let status: ImportStatus
            do {
                status = try await imports.runNow(csv: csv)
            } catch let error as ImportQueue.Busy {
                throw Self.busy(error)
            }
            if let problem = status.errors.first {
                let error = CSVImportError(
                    line: problem.line, column: problem.column, columnName: problem.column_name, message: problem.message)
                throw APIError(.badRequest, error.description, field: error.columnName, line: error.line, column: error.column)
            }
            return ImportResult(imported: status.imported ?? 0)
        }
    }

    static func csvBody(_ request: Request) async throws -> String {
        String(buffer: try await request.body.collect(upTo: 64 << 20))
    }

    static func busy(_ error: ImportQueue.Busy) -> APIError {
        APIError(.conflict, "import \(error.active) is still running; one import at a time",
                 headers: [.location: "/api/v1/imports/\(error.active)"])
    }
}
