import Contracts
import Foundation

/// Printable item labels: an HTML page (any printer, from the browser) and ZPL (thermal label printers).
public struct LabelRenderer: Sendable {
    public struct Label: Sendable {
        let title: String
        let business: String
        let order: String
        let customer: String
        let service: String
        let promised: String
        let tag: String
    }

    public let labels: [Label]

    public init(order: Order, customer: Customer, tenant: Tenant, format: TagFormat) {
        let title = format.labelTitle
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: tenant.locale == "en" ? "en_GB" : "tr_TR")
        formatter.timeZone = TimeZone(identifier: tenant.timeZone) ?? TimeZone(identifier: "Europe/Istanbul")
        formatter.dateFormat = "dd.MM.yyyy HH:mm"
        let promised = formatter.string(from: order.promisedAt)
        labels = order.items.filter { $0.stage != Workflow.cancelled }.map { item in
            var service = item.serviceName
            if let width = item.widthCm, let length = item.lengthCm { service += " \(width)×\(length) cm" }
            if item.quantity > 1 { service += " ×\(item.quantity)" }
            for key in format.printedAttributes {
                if let value = item.attributes[key] { service += " · \(value)" }
            }
            return Label(title: title.text(for: tenant.locale), business: tenant.name, order: order.number, customer: customer.name,
                         service: service, promised: promised, tag: item.tag)
        }
    }

    public var html: String {
        let pages = labels.map { label in
            """
            <section class="label">
              <div class="head">\(MarkupText.escaped(label.title)) · \(MarkupText.escaped(label.business))</div>
              <div class="order">\(MarkupText.escaped(label.order)) · \(MarkupText.escaped(label.customer))</div>
              <div>\(MarkupText.escaped(label.service))</div>
              <div>\(MarkupText.escaped(label.promised))</div>
              \(Code128.svg(label.tag) ?? "")
              <div class="tag">\(MarkupText.escaped(label.tag))</div>
            </section>
            """
        }
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Labels</title>
            <style>
              body { margin: 0; font-family: system-ui, sans-serif; }
              .label { width: 60mm; height: 40mm; padding: 2mm; box-sizing: border-box; page-break-after: always; font-size: 9pt; overflow: hidden; }
              .head { font-weight: 600; } .order { font-weight: 600; } .tag { font: 600 11pt monospace; letter-spacing: 1px; }
              svg { display: block; max-width: 100%; height: 12mm; margin-top: 1mm; }
              @page { size: 60mm 40mm; margin: 0; }
            </style></head>
            <body>
            \(pages.joined(separator: "\n"))
            </body></html>
            """
    }

    /// One ZPL II label per item for a 60 × 40 mm label at 203 dpi; UTF-8 text (^CI28).
    public var zpl: String {
        labels.map { label in
            """
            ^XA
            ^CI28
            ^PW480
            ^LL320
            ^FO20,12^A0N,26,26^FD\(field(label.title)) - \(field(label.business))^FS
            ^FO20,44^A0N,24,24^FD\(field(label.order)) \(field(label.customer))^FS
            ^FO20,72^A0N,22,22^FD\(field(label.service))^FS
            ^FO20,98^A0N,22,22^FD\(field(label.promised))^FS
            ^FO20,128^BY2^BCN,120,Y,N,N^FD\(field(label.tag))^FS
            ^XZ
            """
        }.joined(separator: "\n")
    }

    /// ZPL field data may not hold its command characters.
    private func field(_ text: String) -> String {
        String(text.map { $0 == "^" || $0 == "~" ? " " : $0 }.prefix(60))
    }
}
