import Contracts
import Foundation
import Kernel

/// The lines of the new-order form as the front desk filled them in, read from the posted fields
/// `l<n>.service`, `l<n>.quantity`, `l<n>.widthCm`, `l<n>.lengthCm`, `l<n>.attr.<key>`,
/// `l<n>.addOn` and `l<n>.note`. Blank lines are kept for the form and left out of the order.
struct OrderEntry: Sendable {
    /// At most this many lines in one order form.
    static let maximumLines = 100

    struct Line: Sendable {
        var service = ""
        var quantity = "1"
        var widthCm = ""
        var lengthCm = ""
        var attributes: [String: String] = [:]
        var addOns: [String] = []
        var note = ""

        var isBlank: Bool { service.isEmpty }
    }

    var customerID: UUID?
    var lines: [Line]
    var notes: String

    init(customerID: UUID?, lines: [Line] = [Line()], notes: String = "") {
        self.customerID = customerID
        self.lines = lines
        self.notes = notes
    }

    init(form: Form) throws {
        customerID = form["customer"].flatMap(UUID.init(uuidString:))
        notes = form["notes"] ?? ""
        let indexes = Set(form.fields.keys.compactMap { name -> Int? in
            guard name.hasPrefix("l"), let dot = name.firstIndex(of: ".") else { return nil }
            return Int(name[name.index(after: name.startIndex)..<dot])
        }).sorted()
        guard indexes.count <= Self.maximumLines else {
            throw DomainError.invalid("items", .invalidValue, "An order has at most \(Self.maximumLines) lines.")
        }
        lines = indexes.map { index in
            let prefix = "l\(index)."
            var line = Line()
            line.service = form[prefix + "service"] ?? ""
            line.quantity = form[prefix + "quantity"] ?? "1"
            line.widthCm = form[prefix + "widthCm"] ?? ""
            line.lengthCm = form[prefix + "lengthCm"] ?? ""
            for name in form.names(withPrefix: prefix + "attr.") {
                if let value = form[name] { line.attributes[String(name.dropFirst(prefix.count + 5))] = value }
            }
            line.addOns = form.all(prefix + "addOn").filter { !$0.isEmpty }
            line.note = form[prefix + "note"] ?? ""
            return line
        }
        if lines.isEmpty { lines = [Line()] }
    }

    /// The order as the kernel takes it; a number that is not a whole number is named by its line.
    func draft() throws -> OrderDraft {
        var errors = FieldErrors()
        var requests: [LineRequest] = []
        for (position, line) in lines.enumerated() where !line.isBlank {
            func number(_ text: String, _ field: String, _ label: String) -> Int? {
                guard !text.isEmpty else { return nil }
                guard let value = Int(text) else {
                    errors.add("items[\(position)].\(field)", .invalidValue, "\(label) must be a whole number.")
                    return nil
                }
                return value
            }
            let quantity = number(line.quantity, "quantity", "quantity") ?? 1
            requests.append(LineRequest(service: line.service, quantity: quantity, widthCm: number(line.widthCm, "widthCm", "widthCm"),
                                        lengthCm: number(line.lengthCm, "lengthCm", "lengthCm"), attributes: line.attributes,
                                        addOns: line.addOns, note: line.note.nilIfEmpty))
        }
        if requests.isEmpty { errors.add("items", .missingField, "Choose a service for at least one line.") }
        try errors.throwIfAny()
        return OrderDraft(customerId: customerID, items: requests, notes: notes.nilIfEmpty)
    }
}
