// Drives the vendor's own npm client (@superoffice/webapi: ProjectAgent and ProjectRestApi) against a running
// emulator. Written for the emulator's tests; it calls every Project agent method that contracts/superoffice/
// SOURCE.md marks as emulated. Usage: node superoffice_npm.cjs <node_modules dir> <api base URL> <Authorization>
// [SO-AppToken]. Prints one line per method; exits 1 with the failing method's name and reason. The client's
// carriers are camelCase (its converters rename the server's properties); the server binds names in any case.
"use strict";
const path = require("path");

const [modules, baseUrl, authorization, appToken] = process.argv.slice(2);
const webapi = require(path.join(modules, "@superoffice", "webapi"));

const headers = { Authorization: authorization };
if (appToken) headers["SO-AppToken"] = appToken;
const options = () => ({ baseUrl, axiosConfig: { headers: { ...headers } } });
const agent = new webapi.ProjectAgent(options());
const rest = new webapi.ProjectRestApi(options());

const done = [];
function check(condition, what) {
  if (!condition) throw new Error(`unexpected answer: ${what}`);
}
async function step(name, fn) {
  try {
    const value = await fn();
    done.push(name);
    console.log(`ok ${name}`);
    return value;
  } catch (err) {
    const status = err && err.response ? ` HTTP ${err.response.status} ${JSON.stringify(err.response.data)}` : "";
    console.log(`FAILED ${name}: ${err && err.message ? err.message : err}${status}`);
    process.exit(1);
  }
}

async function main() {
  // the REST client first: default, create, get, put, patch, delete
  const blank = await step("rest.getDefault", () => rest.getDefaultAsync());
  const created = await step("rest.post", () => rest.postAsync({ ...blank, name: "npm REST" }));
  check(created.projectId > 0, "rest.post ProjectId");
  await step("rest.getById", async () => check((await rest.getByIdAsync(created.projectId)).name === "npm REST", "name"));
  await step("rest.putById", () => rest.putByIdAsync(created.projectId, { ...created, name: "npm REST 2" }));
  await step("rest.patchById", () =>
    rest.patchByIdAsync(created.projectId, [{ op: "replace", path: "/Name", value: "npm REST 3" }]));
  await step("rest.deleteById", () => rest.deleteByIdAsync(created.projectId));

  // the entity through the agent
  const fresh = await step("CreateDefaultProjectEntity", () => agent.createDefaultProjectEntityAsync());
  check(fresh.projectId === 0, "default ProjectId");
  const saved = await step("SaveProjectEntity", () => agent.saveProjectEntityAsync({ ...fresh, name: "npm agent" }));
  const pid = saved.projectId;
  check(pid > 0, "saved ProjectId");
  await step("GetProjectEntity", async () => check((await agent.getProjectEntityAsync(pid)).name === "npm agent", "name"));
  await step("ValidateProjectEntity", () => agent.validateProjectEntityAsync(saved));
  await step("SaveProjectEntityWithoutMembers", () =>
    agent.saveProjectEntityWithoutMembersAsync({ ...saved, name: "npm agent 2" }));
  await step("GetProjectEntityWithoutMembers", async () =>
    check((await agent.getProjectEntityWithoutMembersAsync(pid)).projectMembers.length === 0, "no members"));
  await step("SetCompleted", () => agent.setCompletedAsync(pid, true));
  await step("GetProject", async () => check((await agent.getProjectAsync(pid)).projectId === pid, "carrier"));
  await step("GetProjectList", async () => check((await agent.getProjectListAsync([pid])).length === 1, "list"));
  await step("GetMyProjects", () => agent.getMyProjectsAsync(true));
  await step("GetMyMemberProjects", () => agent.getMyMemberProjectsAsync());
  await step("HasGuide", () => agent.hasGuideAsync(pid));
  await step("HasGuideActivities", () => agent.hasGuideActivitiesAsync(pid));
  await step("GetNextMilestone", () => agent.getNextMilestoneAsync(pid));
  await step("IsNumberValid", () => agent.isNumberValidAsync(pid, "npm-0001"));
  await step("GetDuplicates", () => agent.getDuplicatesAsync("npm agent 2"));
  const rules = await step("GetDuplicateRules", () => agent.getDuplicateRulesAsync());
  await step("SetDuplicateRulesStatus", () => agent.setDuplicateRulesStatusAsync(rules));
  await step("GetNextProjectStatus", () => agent.getNextProjectStatusAsync(pid));
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).buffer;
  await step("SetProjectImage", () => agent.setProjectImageAsync(pid, png));
  await step("GetProjectImage", async () => check((await agent.getProjectImageAsync(pid)).byteLength === 12, "image"));

  // members
  const person = Number(process.env.SO_PERSON_ID || "1");
  const blankMember = await step("CreateDefaultProjectMember", () => agent.createDefaultProjectMemberAsync());
  const member = await step("SaveProjectMember", () =>
    agent.saveProjectMemberAsync({ ...blankMember, projectId: pid, personId: person }));
  const mid = member.projectmemberId;
  check(mid > 0, "member id");
  await step("GetProjectMember", async () => check((await agent.getProjectMemberAsync(mid)).personId === person, "person"));
  await step("UpdateProjectMember", () => agent.updateProjectMemberAsync({ ...member, comment: "npm" }));
  await step("AddProjectMembers", () => agent.addProjectMembersAsync(pid, [{ personId: person }]));
  const listed = await step("GetProjectMembers", () => agent.getProjectMembersAsync(pid));
  check(listed.length === 2, "two members");
  await step("UpdateProjectMembers", () => agent.updateProjectMembersAsync(pid, listed));
  await step("GetProjectMembersById", async () =>
    check((await agent.getProjectMembersByIdAsync([mid])).length === 1, "by id"));
  await step("SaveProjectMembersFunctionAndComment", () =>
    agent.saveProjectMembersFunctionAndCommentAsync([mid], 1, "lead"));
  await step("GetProjectsFromPerson", async () =>
    check((await agent.getProjectsFromPersonAsync(person)).some((p) => p.projectId === pid), "from person"));
  await step("GetProjectsFromContact", () => agent.getProjectsFromContactAsync(listed[0].contactId));
  await step("DeleteProjectMembers", () => agent.deleteProjectMembersAsync(pid, [listed[1].projectmemberId]));
  await step("DeleteProjectMemberByIds", () => agent.deleteProjectMemberByIdsAsync([]));
  await step("DeleteProjectMember", () => agent.deleteProjectMemberAsync(mid));

  // merge last: it deletes the source project
  const other = await step("SaveProjectEntity (second)", () =>
    agent.saveProjectEntityAsync({ ...fresh, name: "npm merge source" }));
  await step("Merge", () => agent.mergeAsync(other.projectId, pid, false));
  await step("DeleteProjectEntity", () => agent.deleteProjectEntityAsync(pid));
  console.log(`done ${done.length}`);
}

main().catch((err) => {
  console.log(`FAILED: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
