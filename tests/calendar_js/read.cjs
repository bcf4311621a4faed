// Reads .ics files with Mozilla's ical.js and prints what a calendar app would see, as JSON.
// Used by tests/domain/calendar/test_icaljs.py: node read.cjs FILE... (run from this folder).
"use strict";
const fs = require("fs");
const ICAL = require("ical.js");

const out = {};
for (const path of process.argv.slice(2)) {
  const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(path, "utf8")));
  out[path] = {
    name: cal.getFirstPropertyValue("x-wr-calname"),
    events: cal.getAllSubcomponents("vevent").map((comp) => {
      const ev = new ICAL.Event(comp);
      return {
        uid: ev.uid,
        summary: ev.summary,
        description: ev.description,
        start: ev.startDate.toString(),
        end: ev.endDate.toString(),
        allDay: ev.startDate.isDate,
        floating: ev.startDate.zone === ICAL.Timezone.localTimezone,
        sequence: ev.sequence,
        status: comp.getFirstPropertyValue("status"),
        transp: comp.getFirstPropertyValue("transp"),
        alarms: comp.getAllSubcomponents("valarm").map((a) => ({
          action: a.getFirstPropertyValue("action"),
          trigger: a.getFirstPropertyValue("trigger").toString(),
          description: a.getFirstPropertyValue("description"),
        })),
      };
    }),
  };
}
process.stdout.write(JSON.stringify(out));
