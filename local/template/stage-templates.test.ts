import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StageTemplates } from './stage-templates';

describe('StageTemplates.fromAssemblyDirectory', () => {
  it('reads the template of every stack artifact of the manifest, under its stack name', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-assembly-'));
    const template = { Resources: { OrdersTable315BB997: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };
    fs.writeFileSync(path.join(directory, 'Stateful.template.json'), JSON.stringify(template));
    fs.writeFileSync(
      path.join(directory, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          'Stateful.assets': { type: 'cdk:asset-manifest', properties: { file: 'Stateful.assets.json' } },
          Stateful: {
            type: 'aws:cloudformation:stack',
            displayName: 'App/dev/Stateful',
            properties: { templateFile: 'Stateful.template.json', stackName: 'dev-Stateful' },
          },
        },
      }),
    );

    const stage = StageTemplates.fromAssemblyDirectory(directory);

    expect(stage.stackNames).toEqual(['dev-Stateful']);
    expect(stage.resources()).toEqual([
      {
        stackName: 'dev-Stateful',
        logicalId: 'OrdersTable315BB997',
        type: 'AWS::DynamoDB::Table',
        properties: {},
      },
    ]);
  });
});
