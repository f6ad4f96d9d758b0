// The database migration as a deployment step (Custom::DbMigration, AWS CDK Provider framework).
// onEvent starts one Fargate task from the service's own task definition with the command
// overridden to `node migrate.cjs`; isComplete polls it until it stops. Anything but exit code 0
// throws, the framework answers FAILED, and CloudFormation rolls the stack back before the ECS
// service (which depends on this resource) is touched: new code never serves an unmigrated schema.
//
// The handlers take their ECS calls as a parameter so the tests can drive them without AWS.

/**
 * @typedef {{ runTask(input: object): Promise<any>, describeTasks(input: object): Promise<any> }} Ecs
 */

/** @returns {Promise<Ecs>} the Lambda runtime's bundled SDK v3 */
async function defaultEcs() {
  const { ECSClient, RunTaskCommand, DescribeTasksCommand } = await import("@aws-sdk/client-ecs");
  const client = new ECSClient({});
  return {
    runTask: (input) => client.send(new RunTaskCommand(input)),
    describeTasks: (input) => client.send(new DescribeTasksCommand(input)),
  };
}

// Lambda's entry points: its second argument is the invocation context, so the ECS client is
// chosen here and the work below takes it explicitly.
/** @param {any} event */
export const onEvent = async (event) => startMigration(event, await defaultEcs());
/** @param {any} event */
export const isComplete = async (event) => checkMigration(event, await defaultEcs());

/**
 * @param {any} event CloudFormation request, as the Provider framework passes it
 * @param {Ecs} ecs
 */
export async function startMigration(event, ecs) {
  // Nothing to undo: a schema change is not rolled back by deleting the resource (expand/contract).
  if (event.RequestType === "Delete") return { PhysicalResourceId: event.PhysicalResourceId };

  const p = event.ResourceProperties;
  const answer = await ecs.runTask({
    cluster: p.Cluster,
    taskDefinition: p.TaskDefinition,
    launchType: "FARGATE",
    count: 1,
    startedBy: "cfn-db-migration",
    networkConfiguration: {
      awsvpcConfiguration: { subnets: p.Subnets, securityGroups: p.SecurityGroups, assignPublicIp: "DISABLED" },
    },
    overrides: { containerOverrides: [{ name: p.ContainerName, command: p.Command }] },
  });
  const taskArn = answer.tasks?.[0]?.taskArn;
  if (!taskArn || answer.failures?.length) {
    throw new Error(`the migration task did not start: ${JSON.stringify(answer.failures ?? [])}`);
  }
  console.log(`migration task started for image ${p.Image}: ${taskArn}`);
  // A stable id: an Update must not look like a replacement (CloudFormation would then send a
  // Delete for the old id), and the task of this run travels in Data to isComplete.
  return {
    PhysicalResourceId: event.PhysicalResourceId ?? `db-migration-${event.LogicalResourceId}`,
    Data: { TaskArn: taskArn },
  };
}

/**
 * @param {any} event onEvent's request merged with its answer (so Data.TaskArn is there)
 * @param {Ecs} ecs
 */
export async function checkMigration(event, ecs) {
  if (event.RequestType === "Delete") return { IsComplete: true };

  const p = event.ResourceProperties;
  const taskArn = event.Data?.TaskArn;
  if (!taskArn) throw new Error("isComplete got no TaskArn from onEvent");
  const answer = await ecs.describeTasks({ cluster: p.Cluster, tasks: [taskArn] });
  const task = answer.tasks?.[0];
  if (!task) throw new Error(`migration task ${taskArn} not found: ${JSON.stringify(answer.failures ?? [])}`);
  if (task.lastStatus !== "STOPPED") return { IsComplete: false };

  const container = task.containers?.find((c) => c.name === p.ContainerName);
  const exitCode = container?.exitCode;
  if (exitCode === 0) {
    console.log(`migration task ${taskArn} exited 0`);
    return { IsComplete: true, Data: { ExitCode: "0" } };
  }
  // No exit code: the container never ran (image pull, secret or network failure).
  const why = container?.reason ?? task.stoppedReason ?? "no reason given";
  const taskId = taskArn.split("/").pop();
  throw new Error(
    `migration task ${taskId} failed (exit code ${exitCode ?? "none"}): ${why}. ` +
      `Its output: log group ${p.LogGroup}, stream ${p.LogStreamPrefix}/${p.ContainerName}/${taskId}`,
  );
}
