"""The front desk in a real browser: headless Chromium driven by Selenium, against `crm serve --demo`
on a throwaway SQLite file, over a real socket.

    python Tests/Browser/front_desk.py --crm .build/debug/crm                  # the tests
    python Tests/Browser/front_desk.py --crm .build/debug/crm --screenshots docs/screenshots

The server's demo businesses are signed in to through the sign-in page's own demo table.
"""
import argparse
import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

PHONE = (390, 844)
DESKTOP = (1440, 900)
WAIT_SECONDS = 20


class Server:
    """`crm serve --demo` on a free port and a fresh SQLite file, stopped at the end."""

    def __init__(self, crm):
        self.folder = tempfile.mkdtemp(prefix="crm-browser-")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log_path = os.path.join(self.folder, "serve.log")
        environment = dict(os.environ, CRM_BCRYPT_COST="4")
        self.process = subprocess.Popen(
            [crm, "serve", "--demo", "--port", str(self.port), "--database-url", "sqlite:" + os.path.join(self.folder, "crm.sqlite")],
            stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT, env=environment)
        deadline = time.monotonic() + 120
        while "CRM is serving" not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + self.log())
            time.sleep(0.1)
        self.base = "http://127.0.0.1:%d" % self.port

    def log(self):
        with open(self.log_path) as handle:
            return handle.read()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def browser(size):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=tr-TR",
                     "--window-size=%d,%d" % size, "--force-device-scale-factor=1", "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_window_size(*size)
    return driver


class FrontDeskTest(unittest.TestCase):
    server = None
    shots = None

    def setUp(self):
        self.driver = browser(DESKTOP)

    def tearDown(self):
        self.driver.quit()

    # Helpers

    def open(self, path):
        self.driver.get(self.server.base + path)

    def wait(self, condition, message=""):
        # While a page is being replaced, elements of the old one fail in several ways (stale, or
        # chromedriver's "node does not belong to the document"): look again until the time is up.
        return WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(condition, message)

    def element(self, css):
        return self.wait(ready.presence_of_element_located((By.CSS_SELECTOR, css)), "no element " + css)

    def text(self, css):
        return self.element(css).text

    def sign_in(self, tenant):
        """Signs in as the demo owner of `tenant`, by choosing its row in the sign-in page's demo table."""
        self.open("/")
        self.assertIn("/sign-in", self.driver.current_url)
        self.element("tr.demo-login[data-tenant='%s']" % tenant).click()
        self.assertEqual(self.element("#tenant").get_attribute("value"), tenant)
        self.element("form[action='/sign-in'] button[type=submit]").click()
        self.wait(lambda d: d.current_url.rstrip("/") == self.server.base, "not signed in")
        self.element("form.signout")

    def new_order_for(self, customer_name):
        self.open("/")
        search = self.element("#q")
        search.send_keys(customer_name)
        self.click_result("//ul[@class='results']//li[contains(., '%s')]//a[contains(@href, '/orders/new')]" % customer_name)
        self.element("#order-form")

    def click_result(self, xpath):
        """Clicks a live search result; results of a shorter query may be replaced under the click, so it is looked up again until a click lands."""
        def clicked(driver):
            driver.find_element(By.XPATH, xpath).click()
            return True
        self.wait(clicked, "no search result " + xpath)

    def choose_service(self, line, code):
        Select(self.element("select[name='l%d.service']" % line)).select_by_value(code)

    def type_into(self, name, value):
        field = self.element("[name='%s']" % name)
        field.clear()
        field.send_keys(value)

    def add_line(self):
        count = len(self.driver.find_elements(By.CSS_SELECTOR, "fieldset.line"))
        self.element("#add-line").click()
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "fieldset.line")) == count + 1)

    def shot(self, name, size):
        if not self.shots:
            return
        # The page at exactly this viewport width, whole (taller pages are taller pictures).
        width, height = size
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == PHONE})
        full = max(height, self.driver.execute_script("return document.documentElement.scrollHeight"))
        picture = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": full, "scale": 1}})
        with open(os.path.join(self.shots, "%s-%s.png" % (name, "phone" if size == PHONE else "desktop")), "wb") as handle:
            handle.write(base64.b64decode(picture["data"]))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # Tests

    def test_sign_in_page_states_the_demo_sign_in(self):
        self.open("/sign-in")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "tr.demo-login")
        self.assertEqual({row.get_dom_attribute("data-tenant") for row in rows}, {"demo", "demo-hali", "demo-oto"})
        for row in rows:
            self.assertIn('password "%s"' % row.get_dom_attribute("data-password"), self.server.log())

    def test_wrong_password_is_refused_on_the_page(self):
        self.open("/sign-in")
        self.type_into("tenant", "demo")
        self.type_into("email", "owner@demo.example")
        self.type_into("password", "not-the-password")
        self.element("form[action='/sign-in'] button[type=submit]").click()
        self.assertIn("yanlış", self.text("#sign-in-error"))
        self.assertIsNone(self.driver.get_cookie("crm_session"))

    def test_carpet_order_of_two_carpets_priced_per_square_metre(self):
        self.sign_in("demo-hali")
        self.new_order_for("Ayşe Yılmaz")
        self.choose_service(0, "machine_woven")
        self.type_into("l0.widthCm", "200")
        self.type_into("l0.lengthCm", "300")
        # 6 m² × 120 ₺ = 720 ₺, less the VIP customer's discount (shown on the form).
        self.assertTrue(self.element("fieldset.line[data-line='0'] label.area").is_displayed())
        self.wait(lambda d: "6,00 m²" in d.find_element(By.ID, "quote").text, "no m² in the quote")
        self.add_line()
        self.choose_service(1, "kilim")
        self.type_into("l1.widthCm", "150")
        self.type_into("l1.lengthCm", "200")
        self.wait(lambda d: "3,00 m²" in d.find_element(By.ID, "quote").text, "the second carpet is not in the quote")
        quote = self.text("#quote")
        self.assertIn("120,00 ₺/m²", quote)
        self.assertIn("140,00 ₺/m²", quote)
        total = self.text("#quote-total")
        self.shot("new-order-carpet", PHONE)
        self.shot("new-order-carpet", DESKTOP)
        self.element("#save-order").click()
        number = self.text("#order-number")
        self.assertRegex(number, r"^\S+$")
        self.assertEqual(self.text("#order-total"), total)
        tags = [link.text for link in self.driver.find_elements(By.CSS_SELECTOR, "a.tag")]
        self.assertEqual(len(tags), 2)

        # Print the tags: one label per carpet, each with its tag and a barcode.
        labels_url = self.element("#print-tags").get_attribute("href")
        self.driver.get(labels_url)
        labels = self.driver.find_elements(By.CSS_SELECTOR, "section.label")
        self.assertEqual(len(labels), 2)
        for label, tag in zip(labels, tags):
            self.assertIn(tag, label.text)
            self.assertEqual(len(label.find_elements(By.TAG_NAME, "svg")), 1)

        # Scan both tags through to delivered, one tap per stage.
        for tag in tags:
            self.open("/scan")
            field = self.element("#tag")
            field.send_keys(tag)
            field.send_keys(Keys.ENTER)
            for _ in range(10):
                item = self.element("#scanned-item")
                before = item.get_dom_attribute("data-stage")
                if before == "delivered":
                    break
                self.element("#scanned-item .moves button.primary").click()
                # Looked up afresh each time: the old page's item keeps the old stage.
                self.wait(lambda d: d.find_elements(By.ID, "payment-before-delivery")
                          or d.find_element(By.ID, "scanned-item").get_dom_attribute("data-stage") != before, "the tap did not move the item")
                if self.driver.find_elements(By.ID, "payment-before-delivery"):
                    # The last carpet hands the order over: a cash customer pays first, all they owe
                    # (this order and one left on the shelf); once paid, the same tag is back for the tap.
                    self.assertEqual(tag, tags[-1])
                    lira = lambda text: float(text.replace(" ₺", "").replace(".", "").replace(",", "."))
                    due = re.search(r"Ödeme al · ([0-9.]+,[0-9]{2} ₺)", self.text("#payment-before-delivery")).group(1)
                    self.assertGreater(lira(due), lira(total))
                    self.assertIn("ödendikten sonra teslim edilir", self.text("#scan-refused"))
                    self.element("#payment-before-delivery button[type=submit]").click()
                    self.wait(lambda d: "notice=paymentSaved" in d.current_url, "the payment did not come back to the scan")
                    continue
                self.assertIn(tag, self.text("#scan-moved"))
                if tag == tags[0] and before == "picked_up":
                    self.shot("scan", PHONE)  # a scanned item, moved once, with its next moves
                    self.shot("scan", DESKTOP)
            self.assertEqual(self.element("#scanned-item").get_dom_attribute("data-stage"), "delivered")
        self.driver.get(labels_url.replace("/labels", ""))
        self.assertEqual([stage.text for stage in self.driver.find_elements(By.CSS_SELECTOR, "tbody .stage")], ["Teslim edildi"] * 2)

    def test_payment_at_the_counter_and_an_invoice(self):
        self.sign_in("demo")
        self.new_order_for("Mehmet Öztürk")
        self.choose_service(0, "shirt")
        self.wait(lambda d: "120,00" in d.find_element(By.ID, "quote").text, "no price in the quote")
        self.element("#save-order").click()
        number = self.text("#order-number")
        total = self.text("#order-total")
        self.assertTrue(self.text("#owed"), "the order's charge is owed on the account")
        # The form suggests what the order costs; take it by card.
        self.assertEqual(self.element("#take-payment input[name=amount]").get_attribute("value") + " ₺", total)
        Select(self.element("#take-payment select[name=method]")).select_by_value("card")
        self.element("#take-payment button[type=submit]").click()
        self.wait(lambda d: "notice=paymentSaved" in d.current_url, "the payment did not come back to the order")
        self.assertIn("Ödeme kaydedildi", self.text(".notice"))
        # Issue its invoice: an e-Arşiv one (the customer gave no tax number), numbered in the series.
        self.element("#issue-invoice").click()
        self.wait(lambda d: "/invoices/" in d.current_url, "no invoice page")
        page = self.text("body")
        self.assertIn("e-Arşiv Fatura", page)
        invoice_number = re.search(r"FTR\d{4}\d{9}", page).group(0)
        self.assertIn(number, page)
        self.driver.back()
        self.driver.refresh()
        self.element("#view-invoice")
        self.assertEqual(self.driver.find_elements(By.ID, "issue-invoice"), [], "an order is invoiced once")
        # The account's statement shows the charge and the card payment.
        self.element("#order-account a[href$='/account']").click()
        rows = self.text("#statement-lines")
        self.assertIn("Ödeme", rows)
        self.assertIn("Kart", rows)
        self.assertIn(number, rows)
        self.shot("account", DESKTOP)
        # The collection lists: the corporate customer pays on account and owes; an item waits uncollected.
        self.open("/accounts/overdue")
        self.assertIn("Işık Tekstil", self.text("#overdue-list"))
        self.open("/accounts/uncollected")
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "#uncollected-list tbody tr"))
        # The month's invoices, and the month's statements mailed to the account customers.
        self.element("nav a[href='/invoices']").click()
        self.assertIn(invoice_number, self.text("#invoice-list"))
        self.assertTrue(self.element("#invoice-archive").get_attribute("href").endswith("/invoice-archives/" + self.text("h1").split(" · ")[1]))
        self.element("#statement-mailing button[type=submit]").click()
        self.wait(lambda d: "notice=statementsQueued" in d.current_url, "the mailing did not come back to the invoices")
        self.assertIn("Ekstreler gönderim sırasına alındı", self.text(".notice"))

    def test_refused_move_is_shown_with_its_reason(self):
        self.sign_in("demo")
        self.open("/")
        ready_order = self.element("section.card:nth-of-type(2) tbody a").get_attribute("href")
        self.driver.get(ready_order)
        tag = self.element("a.tag").text
        # Post a move the workflow does not allow (ready → cleaning) from the scan page's own form.
        self.open("/scan?tag=" + tag)
        self.driver.execute_script("document.querySelector('#scanned-item .moves input[name=stage]').value = 'cleaning'")
        self.element("#scanned-item .moves button").click()
        refusal = self.text("#scan-refused")
        self.assertIn("geçemez", refusal)
        self.assertIn("Teslim edildi", refusal)
        self.assertEqual(self.element("#scanned-item").get_dom_attribute("data-stage"), "ready")

    def test_customer_found_by_part_of_the_name_typed_without_turkish_letters(self):
        self.sign_in("demo")
        self.open("/")
        self.element("#q").send_keys("ozturk")
        self.wait(lambda d: "Mehmet Öztürk" in d.find_element(By.ID, "customer-results").text, "search as you type found nothing")
        self.element("#q").clear()
        self.element("#q").send_keys("isik tek")
        self.wait(lambda d: "Işık Tekstil" in d.find_element(By.ID, "customer-results").text, "dotless ı was not folded")

    def test_customer_card_shows_orders_messages_and_consent(self):
        self.sign_in("demo")
        self.open("/")
        self.element("#q").send_keys("ayse")
        self.click_result("//ul[@class='results']//a[contains(., 'Ayşe Yılmaz')]")
        self.element("#consents")
        self.assertIn("S0000", self.text("table.list tbody"))
        self.element("#messages")
        row = "#consents tr[data-consent='sms-transactional']"
        self.assertIn("İzin var", self.text(row))
        self.element(row + " button").click()
        self.wait(lambda d: "İzin yok" in d.find_element(By.CSS_SELECTOR, row).text, "withdrawing consent did not show")
        self.assertIn("İzin kaydedildi", self.text(".notice"))
        # Loyalty on the card: the points her handed-over orders earned, and 10 of them redeemed at the counter.
        points = int(self.text("#loyalty-points"))
        self.assertGreater(points, 10)
        self.assertIn("sona erer", self.text("#loyalty"))
        self.element("#redeem-points input[name=points]").send_keys("10")
        self.element("#redeem-points button[type=submit]").click()
        self.wait(lambda d: "notice=pointsRedeemed" in d.current_url, "the redemption did not come back to the card")
        self.assertEqual(int(self.text("#loyalty-points")), points - 10)

    def test_car_wash_order_with_a_plate(self):
        self.sign_in("demo-oto")
        self.new_order_for("Mehmet Öztürk")
        self.choose_service(0, "exterior")
        self.assertFalse(self.element("fieldset.line[data-line='0'] label.area").is_displayed())
        plate = self.element("input[name='l0.attr.plate']")
        plate.send_keys("34abc123")
        plate.send_keys(Keys.ENTER)  # a scanner's Enter moves to the next field; it posts nothing, adds no line
        vehicle_class = self.element("select[name='l0.attr.vehicleClass']")
        self.assertEqual(self.driver.switch_to.active_element.get_dom_attribute("name"), "l0.attr.vehicleClass")
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "fieldset.line")), 1)
        self.assertIn("/orders/new", self.driver.current_url)
        Select(vehicle_class).select_by_value("suv")
        self.wait(lambda d: d.find_elements(By.ID, "quote-total"), "no live quote")
        self.shot("new-order-carwash", PHONE)
        self.shot("new-order-carwash", DESKTOP)
        self.element("#save-order").click()
        self.element("#order-number")
        self.assertIn("34 ABC 123", self.text("table.list tbody"))

    def test_courier_on_a_phone_marks_a_delivery(self):
        self.driver.quit()
        self.driver = browser(PHONE)
        self.open("/sign-in")
        self.element("tr.demo-login[data-email='kurye@demo.example']").click()
        self.element("form[action='/sign-in'] button[type=submit]").click()
        self.wait(lambda d: d.current_url.endswith("/courier"), "a courier does not land on the courier view")
        run = self.element("section.run")
        number = run.get_dom_attribute("data-order")
        self.assertIn("Mehmet Öztürk", run.text)
        self.assertTrue(run.find_element(By.CSS_SELECTOR, "a[href^='tel:+90']").is_displayed())
        self.assertIn("google.com/maps", run.find_element(By.CSS_SELECTOR, "a[href*='maps']").get_dom_attribute("href"))
        # The buttons are large enough for a thumb.
        for button in run.find_elements(By.CSS_SELECTOR, ".moves button"):
            self.assertGreaterEqual(button.size["height"], 44)
        self.shot("courier", PHONE)
        # A cash customer pays at the door: the run says what to collect, and the courier records it.
        collect = run.find_element(By.CSS_SELECTOR, ".collect")
        self.assertRegex(collect.text, r"Kapıda tahsil edilecek: [0-9.]+,[0-9]{2} ₺")
        Select(collect.find_element(By.CSS_SELECTOR, "select[name=method]")).select_by_value("cash")
        collect.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: "notice=paymentSaved" in d.current_url, "the payment did not come back to the courier view")
        run = self.element("section.run[data-order='%s']" % number)
        self.assertEqual(run.find_elements(By.CSS_SELECTOR, ".collect"), [], "still something to collect after the payment")
        run.find_element(By.CSS_SELECTOR, "button[data-stage='delivered']").click()
        self.assertIn(number, self.text("#courier-moved"))
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "section.run[data-order='%s']" % number), [], "a delivered order is still on the run")
        # A courier's menu holds the courier view only, not the counter's screens.
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "nav a[href='/scan']"), [], "a courier sees the counter's screens")

    def test_head_office_dashboard_and_status_board(self):
        self.sign_in("demo")
        self.open("/dashboard")
        counted = [int(row.find_elements(By.TAG_NAME, "td")[1].text) for row in self.driver.find_elements(By.CSS_SELECTOR, "#branch-figures tbody tr")]
        self.assertEqual(int(self.text("#total-orders")), sum(counted), "the total is the branches' sum")
        self.assertIn("Merkez", self.text("#branch-figures"))
        self.assertIn("Kadıköy", self.text("#branch-figures"))
        charts = self.driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        self.assertEqual(len(charts), 2)
        self.assertEqual(len(charts[1].find_elements(By.CSS_SELECTOR, "rect.bar")), 7, "a bar per day of the week")
        # Each branch's bar is its own: the branch that took nothing today has no height.
        rows = {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[2].text
                for row in self.driver.find_elements(By.CSS_SELECTOR, "#branch-figures tbody tr")}
        for bar in charts[0].find_elements(By.CSS_SELECTOR, "rect.bar"):
            branch, shown = bar.find_element(By.TAG_NAME, "title").get_attribute("textContent").split(": ")
            self.assertEqual(rows[branch], shown)
            self.assertEqual(bar.get_dom_attribute("height") == "0", shown == "0,00 ₺", branch)
        self.shot("dashboard", PHONE)
        self.shot("dashboard", DESKTOP)
        self.open("/board")
        ready_filter = self.element("a.stage-filter[data-stage='ready']")
        count = int(ready_filter.find_element(By.TAG_NAME, "strong").text)
        ready_filter.click()
        self.element("a.stage-filter.selected[data-stage='ready']")  # the new page, not the old one
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#board-items tbody tr")
        self.assertEqual(len(rows), count, "the board lists as many items as its filter counts")
        self.assertIn("Palto", self.text("#board-items"))
        # Oldest first: the item waiting since the week before is at the top, marked late.
        self.assertIn("gecikti", rows[0].text)

    def test_owner_runs_a_campaign_and_issues_and_redeems_a_coupon(self):
        self.sign_in("demo")
        self.element("nav a[href='/loyalty']").click()
        form = self.element("#new-campaign")
        self.type_into("name", "Personel günü")
        self.type_into("text", "Merhaba {{customer}}, personele özel %10 indirim!")
        # Staff customers only: the demo has none, so the campaign reaches no one.
        Select(form.find_element(By.NAME, "customerType")).select_by_value("staff")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: "notice=campaignSaved" in d.current_url, "the campaign did not come back to the screen")
        row = self.element("#campaign-list tr[data-campaign='Personel günü']")
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "td[data-count='targeted']").text, "0")
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "td[data-count='skippedConsent']").text, "0")
        # Wording that names an order's variable is refused with the reason.
        self.type_into("name", "Yanlış")
        self.type_into("text", "Siparişiniz {{order}} hazır")
        self.element("#new-campaign button[type=submit]").click()
        self.assertIn("order", self.text("section.error"))
        # Three coupons of 50 TL; the first is looked up and redeemed on a basket of 200 TL.
        self.open("/loyalty")
        self.type_into("count", "3")
        self.type_into("value", "50")
        self.element("#issue-coupons button[type=submit]").click()
        self.element("#issued-coupons")  # the answer's page, not the form's
        codes = [item.text for item in self.driver.find_elements(By.CSS_SELECTOR, "#issued-coupons li code")]
        self.assertEqual(len(codes), 3)
        self.assertTrue(all(re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code) for code in codes), codes)
        self.type_into("coupon", codes[0].lower().replace("-", ""))
        self.element("#find-coupon button[type=submit]").click()
        self.assertIn("Geçerli", self.text("#coupon"))
        self.type_into("basket", "200")
        self.element("#redeem-coupon button[type=submit]").click()
        self.wait(lambda d: "notice=couponRedeemed" in d.current_url, "the redemption did not come back to the coupon")
        self.assertIn("Kullanıldı", self.text("#coupon"))
        self.assertEqual(self.driver.find_elements(By.ID, "redeem-coupon"), [], "a coupon is redeemed once")
        self.shot("loyalty", DESKTOP)

    def test_owner_changes_a_price_and_the_order_form_uses_it(self):
        self.sign_in("demo-oto")
        self.open("/settings")
        price = self.element("#price-exterior")
        price.clear()
        price.send_keys("275,50")
        price.submit()
        self.wait(lambda d: "notice=settingsSaved" in d.current_url)
        self.assertEqual(self.element("#price-exterior").get_attribute("value"), "275,50")
        self.new_order_for("Mehmet Öztürk")
        self.assertIn("275,50 ₺", Select(self.element("select[name='l0.service']")).options[1].text)

    def test_invalid_plate_is_refused_and_the_form_kept(self):
        self.sign_in("demo-oto")
        self.new_order_for("Mehmet Öztürk")
        self.choose_service(0, "exterior")
        self.element("input[name='l0.attr.plate']").send_keys("not a plate")
        Select(self.element("select[name='l0.attr.vehicleClass']")).select_by_value("car")
        self.element("#save-order").click()
        self.assertIn("plate", self.text("#order-error").lower())
        self.assertEqual(self.element("input[name='l0.attr.plate']").get_attribute("value"), "not a plate")

    def test_form_posted_without_its_csrf_token_is_refused(self):
        self.sign_in("demo")
        self.open("/")
        self.driver.find_element(By.CSS_SELECTOR, "details.new-customer summary").click()
        self.driver.execute_script("document.querySelector('form[action=\"/customers\"] input[name=csrf]').remove()")
        self.element("form[action='/customers'] input[name=name]").send_keys("Sahte Müşteri")
        self.element("form[action='/customers'] button[type=submit]").click()
        self.assertIn("forbidden", self.text("section.error code"))
        self.assertIn("403", self.text("section.error"))
        # Nothing was saved.
        self.open("/")
        self.element("#q").send_keys("Sahte")
        self.element("#q").send_keys(Keys.ENTER)
        self.wait(lambda d: "eşleşen müşteri yok" in d.find_element(By.ID, "customer-results").text)

    def test_sign_out_ends_the_session(self):
        self.sign_in("demo")
        cookie = self.driver.get_cookie("crm_session")
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Lax")
        self.element("form.signout button").click()
        self.wait(lambda d: "/sign-in" in d.current_url)
        # The old token no longer opens a page, even sent again by hand.
        self.driver.add_cookie({"name": "crm_session", "value": cookie["value"], "path": "/"})
        self.open("/")
        self.assertIn("/sign-in", self.driver.current_url)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crm", required=True)
    parser.add_argument("--screenshots", help="also save screenshots into this folder")
    arguments, rest = parser.parse_known_args()
    FrontDeskTest.server = Server(os.path.abspath(arguments.crm))
    if arguments.screenshots:
        os.makedirs(arguments.screenshots, exist_ok=True)
        FrontDeskTest.shots = os.path.abspath(arguments.screenshots)
    try:
        result = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
    finally:
        FrontDeskTest.server.stop()
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
