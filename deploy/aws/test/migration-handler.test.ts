// The migration custom resource's handlers, driven with a fake ECS client.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkMigration, startMigration } from "../lambda/migration/index.mjs";

const props = {
  Image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/coupons:v2",
  Cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/coupons",
  TaskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/coupons:7",
  ContainerName: "app",
  Command: ["node", "migrate.cjs"],
  Subnets: ["subnet-a", "subnet-b"],
  SecurityGroups: ["sg-task"],
  LogGroup: "coupons-logs",
  LogStreamPrefix: "app",
};
const taskArn = "arn:aws:ecs:eu-west-1:123456789012:task/coupons/0123abcd";

function fakeEcs(task: object | undefined, runAnswer: object = { tasks: [{ taskArn }], failures: [] }) {
  const calls: { op: string; input: any }[] = [];
  return {
    calls,
    runTask: async (input: object) => (calls.push({ op: "runTask", input }), runAnswer),
    describeTasks: async (input: object) => (calls.push({ op: "describeTasks", input }), { tasks: task ? [task] : [], failures: [] }),
  };
}
const polled = (requestType = "Update") => ({ RequestType: requestType, PhysicalResourceId: "db-migration-Migration", ResourceProperties: props, Data: { TaskArn: taskArn } });

test("Create and Update start one Fargate task of the given task definition with the migrate command", async () => {
  for (const RequestType of ["Create", "Update"]) {
    const ecs = fakeEcs(undefined);
    const event = { RequestType, LogicalResourceId: "Migration", ResourceProperties: props, ...(RequestType === "Update" ? { PhysicalResourceId: "db-migration-Migration" } : {}) };
    const answer = await startMigration(event, ecs);
    assert.deepEqual(answer, { PhysicalResourceId: "db-migration-Migration", Data: { TaskArn: taskArn } });
    assert.equal(ecs.calls.length, 1);
    const input = ecs.calls[0]!.input;
    assert.equal(input.taskDefinition, props.TaskDefinition);
    assert.equal(input.cluster, props.Cluster);
    assert.equal(input.launchType, "FARGATE");
    assert.deepEqual(input.overrides.containerOverrides, [{ name: "app", command: ["node", "migrate.cjs"] }]);
    assert.deepEqual(input.networkConfiguration.awsvpcConfiguration, { subnets: props.Subnets, securityGroups: props.SecurityGroups, assignPublicIp: "DISABLED" });
  }
});

test("a task that could not be placed fails at once", async () => {
  const ecs = fakeEcs(undefined, { tasks: [], failures: [{ reason: "RESOURCE:ENI" }] });
  await assert.rejects(startMigration({ RequestType: "Update", PhysicalResourceId: "x", ResourceProperties: props }, ecs), /did not start.*RESOURCE:ENI/);
});

test("Delete runs nothing: a schema is not rolled back by removing the resource", async () => {
  const ecs = fakeEcs(undefined);
  assert.deepEqual(await startMigration({ RequestType: "Delete", PhysicalResourceId: "x", ResourceProperties: props }, ecs), { PhysicalResourceId: "x" });
  assert.deepEqual(await checkMigration({ RequestType: "Delete", PhysicalResourceId: "x", ResourceProperties: props }, ecs), { IsComplete: true });
  assert.equal(ecs.calls.length, 0);
});

test("not complete while the task runs", async () => {
  for (const lastStatus of ["PROVISIONING", "PENDING", "RUNNING", "DEPROVISIONING"]) {
    const ecs = fakeEcs({ taskArn, lastStatus, containers: [{ name: "app" }] });
    // No Data here: the Provider framework refuses Data with IsComplete false.
    assert.deepEqual(await checkMigration(polled(), ecs), { IsComplete: false });
    assert.deepEqual(ecs.calls[0]!.input, { cluster: props.Cluster, tasks: [taskArn] });
  }
});

test("complete when the task stopped with exit code 0", async () => {
  const ecs = fakeEcs({ taskArn, lastStatus: "STOPPED", containers: [{ name: "app", exitCode: 0 }] });
  assert.equal((await checkMigration(polled(), ecs)).IsComplete, true);
});

test("fails on a non-zero exit code, naming the log stream to read", async () => {
  const ecs = fakeEcs({ taskArn, lastStatus: "STOPPED", stoppedReason: "Essential container in task exited", containers: [{ name: "app", exitCode: 1 }] });
  await assert.rejects(checkMigration(polled(), ecs), /exit code 1.*coupons-logs.*app\/app\/0123abcd/);
});

test("fails when the container never ran (no exit code)", async () => {
  const ecs = fakeEcs({ taskArn, lastStatus: "STOPPED", stoppedReason: "CannotPullContainerError: not found", containers: [{ name: "app" }] });
  await assert.rejects(checkMigration(polled(), ecs), /exit code none.*CannotPullContainerError/);
});

test("fails when the task is gone", async () => {
  await assert.rejects(checkMigration(polled(), fakeEcs(undefined)), /not found/);
});
