"""One connected world: create project -> upload document -> group it -> link the group to a work category ->
invite a specialist -> change status -> see it in communication -> budget rows -> close the phase."""

from __future__ import annotations

import json

from .helpers import TB


def test_addProject_full_flow_across_operations() -> None:
    tb = TB()
    tb.client.post("/__emulator/clock", json={"set": "2026-05-04T10:00:00Z", "freeze": True})
    project = tb.post(
        "/rest/1.1/project", {"name": "Nieuwbouw school", "city": "Hengelo", "buildingActivities": "Nieuwbouw"}
    ).json()
    pid = project["id"]
    assert any(p["id"] == str(pid) and p["active"] for p in tb.get("/project/list").json())

    # upload a document and file it into a new group
    pdf = b"%PDF-1.4\n% bestek\n%%EOF\n"
    doc = tb.post(
        f"/project/{pid}", {"externalData": "BESTEK-1"}, files={"file_contents": ("bestek.pdf", pdf, "application/pdf")}
    ).json()
    group = tb.post(f"/project/{pid}/document/group", {"name": "Bestek"}).json()[0]
    assert tb.post(f"/documents/groups/{group['id']}/123456/bestek.pdf").json() == {"documentId": int(doc["id"])}
    tree = tb.get(f"/project/{pid}/document/list").json()
    assert [(e["name"], [d["id"] for d in e["documents"]]) for e in tree] == [("Bestek", [doc["id"]])]
    assert tb.get(f"/file/project/{doc['id']}").content == pdf

    # a work component linked to the document group, and an invitation for a specialist
    wc = tb.post("/work-component", {"projectId": str(pid), "name": "Betonwerk", "stabuChapterIds": "531"}).json()[
        "workComponentId"
    ]
    tb.put(f"/document/group/{group['id']}/links", {"workCategoryIds": str(wc)})
    specialist = tb.get("/company/findByRegistrationNumber/nl/05888888").json()["data"][0]
    inv = tb.post(
        "/invitation", {"workComponentId": str(wc), "phaseId": "123456", "companyId": str(specialist["id"])}
    ).json()
    request = tb.get(f"/project/{pid}/communication/{inv['id']}").json()[0]
    assert request["attachments"] == [
        {"id": int(doc["id"]), "type": "project", "name": "bestek", "extension": "pdf", "size": str(len(pdf))}
    ]

    # status changes show up in communication
    tb.client.post("/__emulator/clock", json={"advance_seconds": 86400})
    tb.put(f"/invitation/{inv['id']}", {"status": "calculating"})
    tb.put(f"/invitation/{inv['id']}", {"status": "offer"})
    comm = tb.get(f"/project/{pid}/communication/123456/list").json()
    assert comm[0]["codes"] == "21"
    entry = comm[0]["communication"][0]
    assert entry["status"] == "offer" and entry["specialist"]["name"] == "Subcontractor name"
    assert [(c["oldStatus"], c["newStatus"]) for c in entry["statusChanges"]] == [
        ("unknown", "calculating"),
        ("calculating", "offer"),
    ]
    assert entry["statusChanges"][0]["changeDate"] == "1777975200"
    assert len(tb.get(f"/project/{pid}/communication/{inv['id']}").json()) == 3

    # budget rows for the work component, seen by the invitation
    budget = tb.post("/budget", {"projectId": str(pid)}).json()
    rows = [
        {"properties": {"name": "Fundering", "numberOfUnits": "12", "pricePerUnit": "85", "unit": "m3"}},
        {"properties": {"name": "Vloer", "numberOfUnits": "2.5", "pricePerUnit": "40.10", "unit": "m2"}},
    ]
    tb.post(
        "/budgetrows", {"budgetId": str(budget["budgetId"]), "budgetRows": json.dumps(rows), "workCategoryId": str(wc)}
    )
    data = tb.get(f"/invitation/{inv['id']}/budgetRows").json()["data"]
    assert data[0]["budgetId"] == budget["budgetId"] and data[0]["messageId"] == wc
    assert data[0]["specialistName"] == "Subcontractor name"
    assert [(r["name"]["value"], r["totalPrice"]["value"]) for r in data[0]["rows"]] == [
        ("Fundering", "1020"),
        ("Vloer", "100.25"),
    ]
    assert data[0]["rows"][1]["pricePerUnit"]["prefixedValue"] == "\u20ac 40.10"

    # close the phase; the project stays active until every phase is closed
    closed = tb.post(f"/project/{pid}/projectphase/close", {"phase": "Calculatie"}).json()
    assert closed == [{"id": pid, "name": "Nieuwbouw school", "closedPhases": ["Calculatie"]}]
    assert next(p for p in tb.get("/project/list").json() if p["id"] == str(pid))["active"] is True
    tb.post(f"/project/{pid}/close")
    assert str(pid) not in [p["id"] for p in tb.get("/project/list", {"active": "1"}).json()]


def test_reset_restores_the_fixture_world() -> None:
    tb = TB()
    tb.delete("/document/6448805")
    tb.client.post("/__emulator/reset", headers={"Content-Type": "application/json"})
    headers = tb.login({"login": "api@bouwbedrijf-voorbeeld.nl", "apiKey": "3f9c2b7e41d84a0f9b6e5c1d2a7f8e90"})
    assert tb.get("/document/6448805", headers=headers, auth=False).json()["deleted"] is False
