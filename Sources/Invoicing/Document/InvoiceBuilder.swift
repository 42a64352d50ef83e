import Contracts
import Foundation
import Kernel

/// Works out an invoice from the orders it covers: one line per item that was not cancelled and
/// per order adjustment, VAT taken out of the VAT-inclusive prices the orders hold, VAT summed per
/// rate, and totals that agree to the kuruş — quantity × price is each line's amount, each rate's
/// VAT is its taxable amount × the rate, and what the customer pays is the orders' totals (the
/// kuruş that rounding VAT per rate leaves is the document's rounding amount).
struct InvoiceBuilder {
    var supplier: InvoiceDocument.Party
    var buyer: InvoiceDocument.Party
    var profile: InvoiceDocument.Profile
    /// GİB's exemption code and wording for lines at a zero rate.
    var zeroRateExemption: (code: String, reason: String)
    var language: String = "tr"

    enum BuildError: Error { case negativeAdjustment(String), nothingToInvoice }

    func document(number: String, uuid: UUID, issueDate: String, issueTime: String, orders: [Order], period: String?) throws -> InvoiceDocument {
        var lines: [InvoiceDocument.Line] = []
        var payable = Money.zero
        for order in orders {
            payable += order.totals.total
            for item in order.items where item.stage != Workflow.cancelled {
                lines.append(line(item, order: order))
            }
            for adjustment in order.adjustments where adjustment.amount != .zero {
                guard adjustment.amount.minorUnits > 0 else { throw BuildError.negativeAdjustment(order.number) }
                let net = adjustment.vatRate.split(gross: adjustment.amount).net
                lines.append(line(name: adjustment.name.text(for: language) + " (\(order.number))", quantity: "1", quantityTenThousandths: 10_000,
                                  unitCode: "C62", net: net.minorUnits, vatBasisPoints: adjustment.vatRate.basisPoints, note: nil))
            }
        }
        guard !lines.isEmpty else { throw BuildError.nothingToInvoice }
        var byRate: [Int: Int] = [:]
        for line in lines { byRate[line.vatBasisPoints, default: 0] += line.net }
        let taxes = byRate.keys.sorted(by: >).map { rate in
            let taxable = byRate[rate] ?? 0
            let exemption = rate == 0 ? zeroRateExemption : nil
            return InvoiceDocument.Tax(vatBasisPoints: rate, taxable: taxable, vat: Self.vat(taxable, rate),
                                       exemptionCode: exemption?.code, exemptionReason: exemption?.reason)
        }
        let lineExtension = lines.reduce(0) { $0 + $1.net }
        let vat = taxes.reduce(0) { $0 + $1.vat }
        let totals = InvoiceDocument.Totals(lineExtension: lineExtension, vat: vat, taxInclusive: lineExtension + vat,
                                            rounding: payable.minorUnits - (lineExtension + vat), payable: payable.minorUnits)
        return InvoiceDocument(number: number, uuid: uuid, profile: profile, issueDate: issueDate, issueTime: issueTime, supplier: supplier,
                               buyer: buyer, lines: lines, taxes: taxes, totals: totals, orderNumbers: orders.map(\.number), period: period)
    }

    func line(_ item: OrderItem, order: Order) -> InvoiceDocument.Line {
        var notes = ["\(order.number) / \(item.tag)"]
        let quantity: (text: String, tenThousandths: Int)
        if item.unit == .squareMetre, let width = item.widthCm, let length = item.lengthCm {
            let area = width * length * item.quantity
            quantity = (Self.decimal(area, scale: 4), area)
            notes.append("\(item.quantity) × \(width) × \(length) cm")
        } else {
            quantity = (String(item.quantity), item.quantity * 10_000)
        }
        if !item.addOns.isEmpty { notes.append(item.addOns.map(\.code).joined(separator: ", ")) }
        if item.discount != .zero { notes.append("İndirim dahil") }
        return line(name: item.serviceName, quantity: quantity.text, quantityTenThousandths: quantity.tenThousandths,
                    unitCode: Self.unitCode(item.unit), net: item.net.minorUnits, vatBasisPoints: item.vatRate.basisPoints,
                    note: notes.joined(separator: "; "))
    }

    func line(name: String, quantity: String, quantityTenThousandths: Int, unitCode: String, net: Int, vatBasisPoints: Int,
              note: String?) -> InvoiceDocument.Line {
        let exemption = vatBasisPoints == 0 ? zeroRateExemption : nil
        return InvoiceDocument.Line(name: name, quantity: quantity, unitCode: unitCode,
                                    price: Self.unitPrice(net: net, quantityTenThousandths: quantityTenThousandths), net: net,
                                    vatBasisPoints: vatBasisPoints, vat: Self.vat(net, vatBasisPoints),
                                    exemptionCode: exemption?.code, exemptionReason: exemption?.reason, note: note)
    }

    /// VAT on a net amount, rounded half away from zero to the kuruş.
    static func vat(_ net: Int, _ basisPoints: Int) -> Int {
        Money(minorUnits: net).percentage(basisPoints: basisPoints).minorUnits
    }

    static func unitCode(_ unit: PricingUnit) -> String {
        switch unit {
        case .squareMetre: "MTK"
        case .pair: "PR"
        case .hour: "HUR"
        case .piece, .item, .vehicle, .package: "C62"
        }
    }

    /// `value / 10^scale` written with its decimals, trailing zeros dropped: (60000, 4) is `6`, (12345, 4) `1.2345`.
    static func decimal(_ value: Int, scale: Int) -> String {
        var divisor = 1
        for _ in 0..<scale { divisor *= 10 }
        let whole = value / divisor
        var fraction = String(value % divisor)
        fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    /// The net price of one unit, to eight decimals: (net kuruş / 100) / (quantity / 10 000).
    static func unitPrice(net: Int, quantityTenThousandths: Int) -> String {
        guard quantityTenThousandths > 0 else { return "0" }
        var price = Decimal(net) * Decimal(100) / Decimal(quantityTenThousandths)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &price, 8, .plain)
        return rounded.description
    }

    /// Kuruş written as TL with two decimals: 12345 is `123.45`.
    static func amount(_ kurus: Int) -> String {
        Money(minorUnits: kurus).description
    }

    /// A rate in basis points as a percent: 2000 is `20`, 150 is `1.5`.
    static func percent(_ basisPoints: Int) -> String {
        decimal(basisPoints, scale: 2)
    }
}
