/// The texts of the account, collection and invoice screens.
enum AccountTexts {
    static let turkish: [String: String] = [
        "account": "Cari hesap", "balance": "Bakiye", "owes": "Borçlu", "inCredit": "Alacaklı", "terms": "Ödeme şekli",
        "terms.cash": "Peşin (teslimde öder)", "terms.open": "Açık hesap", "dueDays": "Vade (gün)", "creditLimit": "Kredi limiti",
        "creditAvailable": "Kullanılabilir limit", "takePayment": "Ödeme al", "paymentAmount": "Tutar", "paymentMethod": "Ödeme yolu",
        "method.cash": "Nakit", "method.card": "Kart", "method.transfer": "Havale / EFT", "savePayment": "Ödemeyi kaydet",
        "paymentSaved": "Ödeme kaydedildi.", "statement": "Ekstre", "from": "Başlangıç", "to": "Bitiş", "show": "Göster",
        "openingBalance": "Devreden bakiye", "closingBalance": "Dönem sonu bakiye", "debit": "Borç", "credit": "Alacak", "date": "Tarih",
        "description": "Açıklama", "noEntries": "Bu dönemde hareket yok.", "print": "Yazdır",
        "kind.charge": "Sipariş", "kind.payment": "Ödeme", "kind.refund": "İade (ödeme)", "kind.return": "İade (ürün)", "kind.discount": "İndirim",
        "kind.storage_fee": "Bekletme ücreti", "kind.adjustment": "Düzeltme kaydı", "kind.correction": "İptal kaydı",
        "overdue": "Vadesi geçenler", "overdueAmount": "Geciken", "daysLate": "Gecikme (gün)", "aging0": "0–30 gün", "aging31": "31–60 gün",
        "aging61": "61–90 gün", "aging90": "90+ gün", "noOverdue": "Vadesi geçmiş alacak yok.",
        "uncollected": "Teslim alınmayanlar", "readySince": "Hazır olduğu tarih", "daysWaiting": "Bekleme (gün)", "atRisk": "Risk",
        "storageFees": "Bekletme ücreti", "noUncollected": "Bekleyen sipariş yok.", "atRiskHint": "Çok uzun bekliyor: kaybolma / karışma riski",
        "invoice": "Fatura", "issueInvoice": "Fatura kes", "viewInvoice": "Faturayı göster", "downloadXML": "UBL-TR XML indir",
        "invoiceIssued": "Fatura kesildi.", "owedOnAccount": "Hesapta borç", "kind": "Hareket",
        "payCash": "Nakit", "payCard": "Kart", "payTransfer": "Havale / EFT",
    ]

    static let english: [String: String] = [
        "account": "Account", "balance": "Balance", "owes": "Owes", "inCredit": "In credit", "terms": "Payment terms",
        "terms.cash": "Cash (pays on delivery)", "terms.open": "Open account", "dueDays": "Due (days)", "creditLimit": "Credit limit",
        "creditAvailable": "Credit available", "takePayment": "Take a payment", "paymentAmount": "Amount", "paymentMethod": "Method",
        "method.cash": "Cash", "method.card": "Card", "method.transfer": "Bank transfer", "savePayment": "Record the payment",
        "paymentSaved": "The payment is recorded.", "statement": "Statement", "from": "From", "to": "To", "show": "Show",
        "openingBalance": "Opening balance", "closingBalance": "Closing balance", "debit": "Debit", "credit": "Credit", "date": "Date",
        "description": "Description", "noEntries": "Nothing happened in this period.", "print": "Print",
        "kind.charge": "Order", "kind.payment": "Payment", "kind.refund": "Refund", "kind.return": "Return", "kind.discount": "Discount",
        "kind.storage_fee": "Storage fee", "kind.adjustment": "Adjustment", "kind.correction": "Correction",
        "overdue": "Overdue", "overdueAmount": "Overdue", "daysLate": "Days late", "aging0": "0–30 days", "aging31": "31–60 days",
        "aging61": "61–90 days", "aging90": "90+ days", "noOverdue": "Nothing is overdue.",
        "uncollected": "Uncollected", "readySince": "Ready since", "daysWaiting": "Days waiting", "atRisk": "Risk",
        "storageFees": "Storage fees", "noUncollected": "No order is waiting.", "atRiskHint": "Waiting very long: at risk of loss or mix-up",
        "invoice": "Invoice", "issueInvoice": "Issue invoice", "viewInvoice": "Show the invoice", "downloadXML": "Download UBL-TR XML",
        "invoiceIssued": "The invoice is issued.", "owedOnAccount": "Owed on account", "kind": "Entry",
        "payCash": "Cash", "payCard": "Card", "payTransfer": "Bank transfer",
    ]
}
